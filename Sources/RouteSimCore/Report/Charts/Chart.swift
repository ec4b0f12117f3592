/// A chart: its file stem, the sentence that describes it (alt text), and a gnuplot script that
/// draws it (data inline, no terminal or output set).
public struct Chart: Sendable {
    public var name: String
    public var altText: String
    public var script: String

    /// The shared look: the Okabe–Ito colour-blind-safe palette, light grid, no frame clutter.
    static let style = """
        set encoding utf8
        set linetype 1 lc rgb "#0072B2" lw 2 pt 7 ps 1
        set linetype 2 lc rgb "#E69F00" lw 2 pt 5 ps 1
        set linetype 3 lc rgb "#009E73" lw 2 pt 9 ps 1
        set linetype 4 lc rgb "#CC79A7" lw 2 pt 11 ps 1
        set linetype 5 lc rgb "#56B4E9" lw 2 pt 13 ps 1
        set linetype 6 lc rgb "#D55E00" lw 2 pt 3 ps 1
        set linetype 7 lc rgb "#F0E442" lw 2 pt 15 ps 1
        set linetype 8 lc rgb "#000000" lw 2 pt 1 ps 1
        set linetype cycle 8
        set border 3 lc rgb "#555555"
        set tics nomirror textcolor rgb "#333333"
        set grid ytics lc rgb "#DDDDDD" lw 1 dt 1
        set key noautotitle

        """

    /// A gnuplot string literal.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A number for a gnuplot data block, fixed and locale-free.
    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "NaN"
    }
}

import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// A chart: its file stem, the sentence that describes it (alt text), and a gnuplot script that
/// draws it (data inline, no terminal or output set).
public struct Chart: Sendable {
    public var name: String
    public var altText: String
    public var script: String

    /// The shared look: the Okabe–Ito colour-blind-safe palette, light grid, no frame clutter.
    package static let style = """
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

    /// A gnuplot string literal for a command: single-quoted, because gnuplot runs backquoted
    /// text as a shell command anywhere on a command line except inside single quotes, and
    /// expands no backslash escapes there. A single quote is doubled; a control character (a
    /// newline would end the command, and the next line could be `!command`) becomes a space.
    package static func quoted(_ text: String) -> String {
        "'" + printable(text).replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A string column of an inline data block: double-quoted (gnuplot's data files know no other
    /// quote), with double quotes and backquotes replaced by single quotes, and control characters
    /// by spaces, so that no line of data can end the block or reach a command line.
    package static func datum(_ text: String) -> String {
        "\"" + printable(text).replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "`", with: "'") + "\""
    }

    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isControlCharacter ? " " : $0 }))
    }

    /// A number for a gnuplot data block, fixed and locale-free.
    package static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "NaN"
    }
}

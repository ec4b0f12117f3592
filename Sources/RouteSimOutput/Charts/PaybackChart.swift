import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// Cumulative savings month by month against the engineering cost, for `report.md` and `roi.md`.
package enum PaybackChart {
    /// One line per series (name, monthly savings), over a horizon of 1.5× the slowest payback (12 to 120 months).
    package static func make(name: String, series: [(label: String, monthlySavings: Double)], investment: Double,
                     rollout: [Double], slowestPayback: Double?, altText: String) -> Chart {
        // Bounded before it is made a whole number: a payback of centuries, or beyond any number, draws 120 months.
        let months = Int(min(120, max(12, ((slowestPayback ?? 12) * 1.5).rounded(.up))))
        var data = "$cumulative << EOD\n"
        for (_, monthly) in series {
            for (month, total) in Payback.cumulative(monthlySavings: monthly, rollout: rollout, months: months).enumerated() {
                data += "\(month) \(Chart.number(total / 1000))\n"
            }
            data += "\n\n"
        }
        let lines = series.indices.map { "$cumulative index \($0) using 1:2 with lines lt \($0 % 8 + 1) title \(Chart.quoted(series[$0].label))" }
        let ramp = rollout.isEmpty ? "" : " with the rollout ramp"
        return Chart(
            name: name,
            altText: altText,
            script: data + """
                EOD
                set title "When the investment pays back\(ramp)"
                set xlabel "months after launch"
                set ylabel "cumulative savings (thousand USD)"
                set xrange [0:\(months)]
                set yrange [0:*]
                set key top left
                plot \(investment / 1000) with lines dt 2 lw 2 lc rgb "#D55E00" title "engineering cost", \\
                     \(lines.joined(separator: ", \\\n     "))

                """)
    }
}

import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// The chart of a sweep: the cost–success curve over the settings, its upper convex hull, the
/// cheapest setting meeting the target, and the other policies of the files as points.
public enum SweepCharts {
    public static func charts(for result: SweepResult, others: [PolicyMetrics], targetSuccess: Double?) -> [Chart] {
        let frontier = result.frontier
        var data = "$curve << EOD\n"
        for point in frontier.points.sorted(by: { $0.cpiUSD < $1.cpiUSD }) {
            data += "\(Chart.number(point.cpiUSD)) \(Chart.number(point.successRate * 100))\n"
        }
        data += "EOD\n$hull << EOD\n"
        for index in frontier.hull {
            data += "\(Chart.number(frontier.points[index].cpiUSD)) \(Chart.number(frontier.points[index].successRate * 100))\n"
        }
        data += "EOD\n"
        var plots = [
            "$curve using 1:2 with linespoints lt 1 ps 0.5 title \(Chart.quoted("\(result.plan.policyName), \(result.plan.parameter) swept"))",
            "$hull using 1:2 with lines dt 2 lc rgb \"#999999\" title \"upper convex hull\"",
        ]
        if !others.isEmpty {
            data += "$others << EOD\n"
            for policy in others {
                data += "\(Chart.number(policy.cpiUSD)) \(Chart.number(policy.successRate * 100)) \(Chart.datum(policy.name))\n"
            }
            data += "EOD\n"
            plots.append("$others using 1:2 with points lt 2 pt 5 ps 1.4 title \"other policies\"")
            plots.append("$others using 1:2:3 with labels offset 1,0.6 left font \",9\"")
        }
        var target = ""
        if let targetSuccess, let index = frontier.cheapest(meeting: targetSuccess) {
            let point = frontier.points[index]
            data += "$target << EOD\n\(Chart.number(point.cpiUSD)) \(Chart.number(point.successRate * 100))\nEOD\n"
            plots.append("$target using 1:2 with points pt 6 ps 3 lw 2 lc rgb \"#D55E00\" title \(Chart.quoted("cheapest reaching \(Format.percent(targetSuccess)): \(point.value)"))")
            target = "; the ring marks the cheapest setting reaching \(Format.percent(targetSuccess)) success"
        }
        return [Chart(
            name: "sweep-frontier",
            altText: "Cost per request against success rate as \(result.plan.parameter) of \(result.plan.policyName) varies\(target); squares are the other policies.",
            script: data + """
                set title "Cost–success frontier"
                set xlabel "cost per request (USD)"
                set ylabel "success rate (%)"
                set key bottom right
                set xrange [0:*]
                set offsets graph 0.02, graph 0.12, graph 0.05, graph 0.05
                plot \(plots.joined(separator: ", \\\n     "))

                """)]
    }
}

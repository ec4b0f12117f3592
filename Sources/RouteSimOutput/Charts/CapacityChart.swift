import RouteSimAnalysis
import RouteSimModel

/// Cost per request against traffic, every policy (docs/capacity.md): API calls cost the same per
/// request at any traffic, so a policy of API models is a flat line; self-hosted fleets cost less
/// per request as traffic grows. Drawn when some policy pays for a fleet.
enum CapacityChart {
    static func make(_ summary: SimulationSummary) -> Chart? {
        guard summary.policies.contains(where: { !$0.cpiByTraffic.isEmpty }) else { return nil }
        let (data, lines) = series("cpi", style: "linespoints lw 2 pt 7", summary.policies.map { policy in
            let curve = policy.cpiByTraffic.isEmpty ? FleetMetrics.trafficScales.map { ($0, policy.cpiUSD) } : policy.cpiByTraffic
            return (policy.name, curve.map { ($0.0, $0.1 * 1000) })
        })
        return Chart(
            name: "capacity-traffic",
            altText: "Cost per 1,000 requests against traffic (a multiple of the log's), both on log scales, one line per policy: policies of API models are flat, self-hosted fleets cost less per request as traffic grows.",
            script: data + """
                EOD
                set title "Cost per 1,000 requests as traffic grows (self-hosted fleets)"
                set xlabel "traffic, times the log's (log scale)"
                set ylabel "USD per 1,000 requests (log scale)"
                set logscale x 2
                set logscale y 10
                set key top right
                plot \(lines.joined(separator: ", \\\n     "))

                """)
    }

    /// A gnuplot data block of one series per line, and the plot clause of each.
    private static func series(_ name: String, style: String, _ lines: [(label: String, points: [(Double, Double)])]) -> (String, [String]) {
        var data = "$\(name) << EOD\n"
        for line in lines {
            for (x, y) in line.points { data += "\(Chart.number(x)) \(Chart.number(y))\n" }
            data += "\n\n"
        }
        let plots = lines.enumerated().map { index, line in
            "$\(name) index \(index) using 1:2 with \(style) lt \(index % 8 + 1) title \(Chart.quoted(line.label))"
        }
        return (data, plots)
    }

    /// Mean replicas in each hour of the day (UTC), one line per policy and self-hosted model.
    static func replicas(_ summary: SimulationSummary) -> Chart? {
        let fleets = summary.policies.flatMap { policy in
            policy.fleets.map { ("\(policy.name): \($0.model)", $0.replicasByHourOfDay.enumerated().map { (Double($0), $1) }) }
        }
        guard !fleets.isEmpty else { return nil }
        let (data, plots) = series("replicas", style: "steps lw 2", fleets)
        return Chart(
            name: "capacity-replicas",
            altText: "Replicas running in each hour of a typical day (UTC, the mean over the log's days), one line per policy and self-hosted model.",
            script: data + """
                EOD
                set title "Replicas over a typical day (mean per hour, UTC)"
                set xlabel "hour of the day (UTC)"
                set ylabel "replicas"
                set xrange [0:24]
                set xtics 0, 3, 24
                set yrange [0:*]
                set key below
                plot \(plots.joined(separator: ", \\\n     "))

                """)
    }
}

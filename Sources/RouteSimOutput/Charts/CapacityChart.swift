import RouteSimAnalysis
import RouteSimModel

/// Cost per request against traffic, every policy (docs/capacity.md): API calls cost the same per
/// request at any traffic, so a policy of API models is a flat line; self-hosted fleets cost less
/// per request as traffic grows. Drawn when some policy pays for a fleet.
enum CapacityChart {
    static func make(_ summary: SimulationSummary) -> Chart? {
        guard summary.policies.contains(where: { !$0.cpiByTraffic.isEmpty }) else { return nil }
        let policies = summary.policies
        var data = "$cpi << EOD\n"
        for policy in policies {
            let curve = policy.cpiByTraffic.isEmpty ? FleetMetrics.trafficScales.map { ($0, policy.cpiUSD) } : policy.cpiByTraffic
            for point in curve { data += "\(Chart.number(point.0)) \(Chart.number(point.1 * 1000))\n" }
            data += "\n\n"
        }
        let lines = policies.enumerated().map { index, policy in
            "$cpi index \(index) using 1:2 with linespoints lt \(index % 8 + 1) lw 2 pt 7 title \(Chart.quoted(policy.name))"
        }
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

    /// Mean replicas in each hour of the day (UTC), one line per policy and self-hosted model.
    static func replicas(_ summary: SimulationSummary) -> Chart? {
        let lines = summary.policies.flatMap { policy in policy.fleets.map { (label: "\(policy.name): \($0.model)", hours: $0.replicasByHourOfDay) } }
        guard !lines.isEmpty else { return nil }
        var data = "$replicas << EOD\n"
        for line in lines {
            for (hour, replicas) in line.hours.enumerated() { data += "\(hour) \(Chart.number(replicas))\n" }
            data += "\n\n"
        }
        let plots = lines.enumerated().map { index, line in
            "$replicas index \(index) using 1:2 with steps lt \(index % 8 + 1) lw 2 title \(Chart.quoted(line.label))"
        }
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

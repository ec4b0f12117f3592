import RouteSimAnalysis
import RouteSimModel

/// Cost per request against traffic for the policies with self-hosted fleets (docs/capacity.md):
/// their API calls cost the same per request at any traffic, their fleets less as traffic grows.
enum CapacityChart {
    static func make(_ summary: SimulationSummary) -> Chart? {
        let policies = summary.policies.filter { !$0.cpiByTraffic.isEmpty }
        guard !policies.isEmpty else { return nil }
        var data = "$cpi << EOD\n"
        for policy in policies {
            for point in policy.cpiByTraffic { data += "\(Chart.number(point.scale)) \(Chart.number(point.cpiUSD * 1000))\n" }
            data += "\n\n"
        }
        let lines = policies.enumerated().map { index, policy in
            "$cpi index \(index) using 1:2 with linespoints lt \(index % 8 + 1) lw 2 pt 7 title \(Chart.quoted(policy.name))"
        }
        return Chart(
            name: "capacity-traffic",
            altText: "Cost per 1,000 requests against traffic (a multiple of the log's, log scale), one line per policy with self-hosted models: fleets cost less per request as traffic grows.",
            script: data + """
                EOD
                set title "Cost per 1,000 requests as traffic grows (self-hosted fleets)"
                set xlabel "traffic, times the log's (log scale)"
                set ylabel "USD per 1,000 requests"
                set logscale x 2
                set yrange [0:*]
                set key top right
                plot \(lines.joined(separator: ", \\\n     "))

                """)
    }
}

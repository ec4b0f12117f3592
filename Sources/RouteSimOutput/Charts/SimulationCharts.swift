import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// The charts of `report.md`, drawn from a simulation summary.
public enum SimulationCharts {
    /// How a policy is named on the charts: the baseline and the recommended policy say so.
    package static func label(_ policy: PolicyMetrics, _ summary: SimulationSummary, recommended: String?) -> String {
        if policy.name == recommended { return policy.name + " (recommended)" }
        if policy.name == summary.baseline { return policy.name + " (baseline)" }
        if policy.kind == "oracle" { return policy.name + " (bound)" }
        return policy.name
    }

    /// The recommended policy's name, when the report recommends one.
    package static func recommended(_ summary: SimulationSummary) -> String? {
        Recommendation(summary).flatMap { $0.verdict == .recommended ? $0.policy?.name : nil }
    }

    public static func charts(for summary: SimulationSummary) -> [Chart] {
        var charts = [monthlyCost(summary), modelMix(summary), frontier(summary)]
        if summary.policies.contains(where: { $0.latency != nil }) { charts.append(latency(summary)) }
        if summary.policies.contains(where: { $0.timeline.count > 1 }) { charts.append(timeline(summary)) }
        if let payback = payback(summary) { charts.append(payback) }
        if let matrix = summary.complexity { charts.append(ComplexityChart.make(matrix, models: summary.modelNames)) }
        if let capacity = CapacityChart.make(summary) { charts.append(capacity) }
        if let replicas = CapacityChart.replicas(summary) { charts.append(replicas) }
        return charts
    }

    /// Monthly cost per policy (or cost per 1,000 requests without a volume), with bootstrap whiskers.
    package static func monthlyCost(_ summary: SimulationSummary) -> Chart {
        let recommended = recommended(summary)
        let perRequest = summary.monthlyVolume ?? 1000
        let largest = summary.policies.map { ($0.cpiCI95?.upperBound ?? $0.cpiUSD) * perRequest }.max() ?? 0
        let thousands = largest >= 10_000
        let scale = perRequest / (thousands ? 1000 : 1)
        let unit = (thousands ? "thousand " : "") + (summary.monthlyVolume == nil ? "USD per 1,000 requests" : "USD per month")
        var data = "$cost << EOD\n"
        for policy in summary.policies {
            let interval = policy.cpiCI95 ?? (policy.cpiUSD...policy.cpiUSD)
            let color = policy.name == summary.baseline ? 6 : policy.name == recommended ? 3 : 1
            data += "\(Chart.datum(label(policy, summary, recommended: recommended))) \(Chart.number(policy.cpiUSD * scale)) \(Chart.number(interval.lowerBound * scale)) "
            data += "\(Chart.number(interval.upperBound * scale)) \(color) \(Chart.datum(Format.usd(policy.cpiUSD * perRequest)))\n"
        }
        let title = summary.monthlyVolume == nil ? "Cost per 1,000 requests by policy" : "Monthly inference cost by policy"
        return Chart(
            name: "monthly-cost",
            altText: "\(title), with 95% intervals; the baseline \(summary.baseline ?? "") in orange-red"
                + (recommended.map { ", the recommended \($0) in green" } ?? "") + ", the rest in blue.",
            script: data + """
                EOD
                set title \(Chart.quoted(title + " (95% interval)"))
                set ylabel \(Chart.quoted(unit))
                set style fill solid 0.85 border -1
                set xtics rotate by -25 scale 0
                set yrange [0:*]
                set xrange [-0.6:\(summary.policies.count) - 0.4]
                plot $cost using 0:2:3:4:(0.6):5:xtic(1) with boxerrorbars lc variable, \\
                     $cost using 0:4:6 with labels offset 0,0.8 font ",9"

                """)
    }

    /// Share of final answers by model, one stacked bar per policy.
    package static func modelMix(_ summary: SimulationSummary) -> Chart {
        let recommended = recommended(summary)
        var columns = summary.modelNames.filter { model in summary.policies.contains { $0.modelMix.contains { $0.model == model } } }
        for policy in summary.policies where policy.modelMix.contains(where: { $0.model == policy.name }) {
            let combined = label(policy.name, policy)
            if !columns.contains(combined) { columns.append(combined) }
        }
        var data = "$mix << EOD\npolicy " + columns.map(Chart.datum).joined(separator: " ") + "\n"
        for policy in summary.policies {
            let shares = Dictionary(policy.modelMix.map { (label($0.model, policy), $0.share * 100) }) { $0 + $1 }
            data += Chart.datum(label(policy, summary, recommended: recommended)) + " "
                + columns.map { Chart.number(shares[$0] ?? 0) }.joined(separator: " ") + "\n"
        }
        return Chart(
            name: "model-mix",
            altText: "Share of each policy's final answers by model: \(columns.joined(separator: ", ")).",
            script: data + """
                EOD
                set title "Which model gives the final answer"
                set ylabel "share of requests (%)"
                set style data histograms
                set style histogram rowstacked
                set style fill solid 0.85 border -1
                set boxwidth 0.6
                set xtics rotate by -25 scale 0
                set yrange [0:100]
                set key outside right top
                plot for [i=2:\(columns.count + 1)] $mix using i:xtic(1) title columnhead(i)

                """)
    }

    /// A model's name, or what stands for answers no single model gave: an ensemble's combined
    /// answer, or a request whose steps different models answered.
    private static func label(_ model: String, _ policy: PolicyMetrics) -> String {
        guard model == policy.name else { return model }
        return policy.kind == "ensemble" ? "ensemble (combined)" : "several models (one per step)"
    }

    /// Each policy as a point of cost against success, with the upper convex hull of the policies
    /// one can deploy (the oracle is a bound, drawn apart); each policy has its own marker and key
    /// entry, so that no labels overlap, and the recommended policy is ringed.
    package static func frontier(_ summary: SimulationSummary) -> Chart {
        let recommended = recommended(summary)
        let candidates = summary.policies.filter { $0.kind != "oracle" }
        let frontier = Frontier(points: candidates.map {
            Frontier.Point(value: 0, cpiUSD: $0.cpiUSD, successRate: $0.successRate, strongShare: nil, pgr: nil)
        })
        var data = "$points << EOD\n"
        for policy in summary.policies {
            data += "\(Chart.number(policy.cpiUSD)) \(Chart.number(policy.successRate * 100))\n\n\n"
        }
        data += "EOD\n$hull << EOD\n"
        for index in frontier.hull {
            data += "\(Chart.number(frontier.points[index].cpiUSD)) \(Chart.number(frontier.points[index].successRate * 100))\n"
        }
        var plots = ["$hull using 1:2 with lines dt 2 lc rgb \"#999999\" title \"best trade-offs (upper convex hull)\""]
        for (index, policy) in summary.policies.enumerated() {
            let marker = policy.kind == "oracle" ? "pt 6" : "pt \([7, 5, 9, 11, 13, 15, 3, 1][index % 8])"
            plots.append("$points index \(index) using 1:2 with points lt \(index % 8 + 1) \(marker) ps 1.6 title \(Chart.quoted(label(policy, summary, recommended: recommended)))")
        }
        if let recommended, let index = summary.policies.firstIndex(where: { $0.name == recommended }) {
            plots.append("$points index \(index) using 1:2 with points pt 6 ps 3.2 lw 2 lc rgb \"#000000\" notitle")
        }
        return Chart(
            name: "frontier",
            altText: "Cost per request against success rate for each policy, one marker each (see the key)"
                + (recommended.map { "; the recommended \($0) is ringed" } ?? "")
                + "; the dashed line joins the deployable policies on the upper convex hull, the best trade-offs (the oracle, a bound, is not one of them).",
            script: data + """
                EOD
                set title "Cost against quality: up and to the left is better"
                set xlabel "cost per request (USD)"
                set ylabel "success rate (%)"
                set key outside right top font ",9"
                set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
                set xrange [0:*]
                plot \(plots.joined(separator: ", \\\n     "))

                """)
    }

    /// Latency distribution per policy, with each p95 marked.
    package static func latency(_ summary: SimulationSummary) -> Chart {
        let recommended = recommended(summary)
        let policies = summary.policies.filter { $0.latency != nil }
        var data = "$cdf << EOD\n"
        for policy in policies {
            for (percent, value) in policy.latency!.cdf.enumerated() { data += "\(Chart.number(max(value, 0.1))) \(Double(percent) / 100)\n" }
            data += "\n\n"
        }
        data += "EOD\n$p95 << EOD\n"
        for policy in policies { data += "\(Chart.number(max(policy.latency!.p95, 0.1))) 0.95\n\n\n" }
        // Lines that coincide stay visible: each has its own dash pattern, and lines drawn first are
        // wider, so a later one on top leaves them showing at its sides.
        let dashes = ["1", "2", "3", "4", "5", "(12,6,2,6)", "(20,8)", "(4,8)"]
        let lines = policies.enumerated().map { index, policy in
            let width = 2 + Double(policies.count - 1 - index) * 0.6 + (policy.name == recommended ? 1.5 : 0)
            return "$cdf index \(index) using 1:2 with lines lt \(index % 8 + 1) dt \(dashes[index % 8]) lw \(Chart.number(width)) "
                + "title \(Chart.quoted(label(policy, summary, recommended: recommended)))"
        }
        let marks = policies.indices.map { "$p95 index \($0) using 1:2 with points lt \($0 % 8 + 1) pt 7 ps 1.3" }
        return Chart(
            name: "latency-cdf",
            altText: "Share of requests answered within a given latency, one line per policy, log scale; dots mark each policy's 95th percentile.",
            script: data + """
                EOD
                set title "How fast requests are answered (dots: 95th percentile)"
                set xlabel "latency (ms, log scale)"
                set ylabel "share of requests answered within"
                set logscale x
                set yrange [0:1]
                set offsets 0, graph 0.08, 0, 0
                set rmargin 6
                set key bottom right
                plot \((lines + marks).joined(separator: ", \\\n     "))

                """)
    }

    /// Cost per request and success per window over time, for the baseline, the recommended policy
    /// and the other deployable policies (at most five lines, so that each can be read); open black
    /// circles mark the windows where a policy shown breached an error budget.
    package static func timeline(_ summary: SimulationSummary) -> Chart {
        let recommended = recommended(summary)
        let first = summary.policies.filter { $0.name == summary.baseline || $0.name == recommended }
        let rest = summary.policies.filter { $0.kind != "oracle" && $0.name != summary.baseline && $0.name != recommended }
        let shown = Array((first + rest).prefix(5))
        var data = "$days << EOD\n"
        for policy in shown {
            for point in policy.timeline {
                let cpi = point.requests > 0 ? point.costUSD / Double(point.requests) : 0
                data += "\(Int(point.start)) \(Chart.number(cpi)) \(Chart.number(point.successRate * 100))\n"
            }
            data += "\n\n"
        }
        data += "EOD\n"
        var breaches = ""
        for policy in shown {
            let starts = Set(policy.errorBudget?.breaches.map(\.windowStart) ?? [])
            for point in policy.timeline where starts.contains(point.start) {
                breaches += "\(Int(point.start)) \(Chart.number(point.successRate * 100))\n"
            }
        }
        var breachPlot = ""
        if !breaches.isEmpty {
            data += "$breaches << EOD\n" + breaches + "EOD\n"
            breachPlot = ", $breaches using 1:2 with points pt 6 ps 2 lw 1.5 lc rgb \"#000000\" title \"error-budget breach\""
        }
        let costs = shown.indices.map {
            "$days index \($0) using 1:2 with linespoints lt \($0 % 8 + 1) ps 0.6 title \(Chart.quoted(label(shown[$0], summary, recommended: recommended)))"
        }
        let successes = shown.indices.map { "$days index \($0) using 1:3 with linespoints lt \($0 % 8 + 1) ps 0.6 notitle" }
        let window = summary.windowSeconds >= 86_400 ? "day" : "window"
        let omitted = summary.policies.count - shown.count
        return Chart(
            name: "timeline",
            altText: "Cost per request (top) and success rate (bottom) per \(window) for \(shown.map(\.name).joined(separator: ", "))"
                + (omitted > 0 ? " (\(omitted) more policies in the tables)" : "") + "; open black circles mark windows that breached an error budget.",
            script: data + """
                set xdata time
                set timefmt "%s"
                set format x "%m-%d"
                set multiplot layout 2,1 title "Cost per request and success per \(window) (circles: error-budget breach)"
                set ylabel "USD per request"
                set key outside right top font ",9"
                plot \(costs.joined(separator: ", "))
                set key outside right top font ",9"
                set ylabel "success rate (%)"
                set yrange [*:100]
                plot \(successes.joined(separator: ", "))\(breachPlot)
                unset multiplot

                """)
    }

    /// Cumulative savings against the engineering cost, for the policies that save most.
    package static func payback(_ summary: SimulationSummary) -> Chart? {
        guard let cost = summary.engineeringCostUSD, cost > 0 else { return nil }
        // Only policies that keep quality (no drop beyond the margin shown): a cheap policy that fails
        // more is no payback to feature.
        let recommended = recommended(summary)
        let savers = summary.policies.filter { policy in
            (policy.savings?.monthlyUSD ?? 0) > 0 && policy.kind != "oracle"
                && PairedTests.dropAtMost(Recommendation.maxSuccessDrop, lost: policy.lostToBaseline, won: policy.wonOverBaseline,
                                          requests: policy.requests) >= Recommendation.alpha
        }.sorted { $0.savings!.monthlyUSD! > $1.savings!.monthlyUSD! }.prefix(4)
        guard !savers.isEmpty else { return nil }
        let ramp = summary.rollout.isEmpty ? "" : " with the rollout ramp"
        return PaybackChart.make(
            name: "payback", series: savers.map { (label($0, summary, recommended: recommended), $0.savings!.monthlyUSD!) },
            investment: cost, rollout: summary.rollout,
            slowestPayback: savers.compactMap { $0.paybackMonthsWithRollout ?? $0.paybackMonths }.max(),
            altText: "Cumulative savings\(ramp) month by month for the policies that save most without losing quality beyond chance; each pays back where its line crosses the dashed engineering cost of \(Format.usd(cost)).")
    }
}

import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// `history.md`: recorded runs as a table, and CPI and success over them as a chart.
public enum HistoryReport {
    public static func markdown(_ runs: [RunHistory.Run], policy: String?, charts: ChartRenderer.Outcome = .init()) -> String {
        var out = "# Run history\(policy.map { " of \(Markdown.text($0))" } ?? "")\n\n"
        guard !runs.isEmpty else { return out + "No runs recorded yet: add `--record-run` to `simulate` or `compare` with `--db`.\n" }
        out += "| Run | Recorded | Command | Cost per request | Success rate | Policies | Input |\n|---:|---|---|---:|---:|---|---|\n"
        for run in runs {
            out += "| \(run.id) | \(run.recordedAt) | \(run.command) | \(Format.usd(run.cpiUSD)) | \(Format.percent(run.successRate)) | "
            out += "`\(run.policyHash)` | \(run.inputFingerprint) |\n"
        }
        return out + "\n" + MarkdownReport.embed(charts)
    }

    public static func charts(_ runs: [RunHistory.Run], policy: String?) -> [Chart] {
        let points = runs.filter { $0.cpiUSD != nil && $0.successRate != nil }
        guard points.count > 1 else { return [] }
        // Runs over different inputs are different series: a line joins only runs over the same data.
        var inputs: [String] = []
        for run in points where !inputs.contains(run.inputFingerprint) { inputs.append(run.inputFingerprint) }
        var data = "$runs << EOD\n"
        for (index, input) in inputs.enumerated() {
            if index > 0 { data += "\n\n" }
            for run in points where run.inputFingerprint == input {
                data += "\(run.id) \(Chart.number(run.cpiUSD!)) \(Chart.number(run.successRate! * 100))\n"
            }
        }
        let label = { (index: Int) in inputs.count > 1 ? " (input \(index + 1))" : "" }
        let plots = inputs.indices.flatMap { index in [
            "$runs index \(index) using 1:2 with linespoints lt 1 dt \(index % 4 + 1) title \(Chart.quoted("cost per request" + label(index)))",
            "$runs index \(index) using 1:3 axes x1y2 with linespoints lt 2 dt \(index % 4 + 1) title \(Chart.quoted("success rate" + label(index)))",
        ] }
        return [Chart(
            name: "history",
            altText: "Cost per request (left axis) and success rate (right axis) of \(policy ?? "each run's policy") over the recorded runs"
                + (inputs.count > 1 ? "; runs over different inputs are separate lines (input N is the Nth input in the table)." : "."),
            script: data + """
                EOD
                set title "Cost and success over recorded runs"
                set xlabel "run"
                set ylabel "cost per request (USD)"
                set y2label "success rate (%)"
                set y2tics
                set xtics 1
                set key bottom right
                plot \(plots.joined(separator: ", \\\n     "))

                """)]
    }
}

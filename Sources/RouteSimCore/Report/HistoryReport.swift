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
        var data = "$runs << EOD\n"
        for run in points { data += "\(run.id) \(Chart.number(run.cpiUSD!)) \(Chart.number(run.successRate! * 100))\n" }
        return [Chart(
            name: "history",
            altText: "Cost per request (left axis) and success rate (right axis) of \(policy ?? "each run's policy") over the recorded runs.",
            script: data + """
                EOD
                set title "Cost and success over recorded runs"
                set xlabel "run"
                set ylabel "cost per request (USD)"
                set y2label "success rate (%)"
                set y2tics
                set xtics 1
                set key bottom right
                plot $runs using 1:2 with linespoints lt 1 title "cost per request", \\
                     $runs using 1:3 axes x1y2 with linespoints lt 2 title "success rate"

                """)]
    }
}

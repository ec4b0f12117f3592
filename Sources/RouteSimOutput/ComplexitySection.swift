import RouteSimAnalysis
import RouteSimModel

/// The report's "Which model each step needs" section: the complexity matrix of a log with steps
/// (docs/metrics.md, "The complexity matrix"). Empty for a log without steps.
enum ComplexitySection {
    static func render(_ summary: SimulationSummary, charts: ChartRenderer.Outcome) -> String {
        guard let matrix = summary.complexity else { return "" }
        let models = summary.modelNames.filter { model in matrix.rows.contains { $0.cells.contains { $0.model == model } } }
        var out = "## Which model each step needs\n\n"
        out += "For each step, how each model does on it over every request the log records it for: success rate "
        out += "(95% interval), cost per call and 95th-percentile latency. A model **meets** the step's target "
        out += "(✔) when the low end of its interval reaches it. The last columns give the cheapest model that meets "
        out += "the target, the model the baseline uses today, what moving the step to the cheapest one would save "
        out += "a month, and how demanding the step is: as a pipeline declared it, and as the log measured it "
        out += "(low when the cheapest tier meets the target, high when only the top tier does or none).\n\n"
        out += "| Step | Target | " + models.map(Markdown.text).joined(separator: " | ")
        out += " | Cheapest meeting it | Baseline uses | Monthly saving | Declared / measured |\n"
        out += "|---|---:|" + String(repeating: "---:|", count: models.count) + "---|---|---:|---|\n"
        for row in matrix.rows {
            out += "| \(Markdown.text(row.step)) | \(Format.percent(row.target)) | "
            for model in models {
                guard let cell = row.cells.first(where: { $0.model == model }) else {
                    out += "— | "
                    continue
                }
                out += "\(Format.percent(cell.successRate)) (\(Format.interval(cell.successCI95, Format.percent))) · "
                out += "\(Format.usd(cell.costPerCallUSD)) · \(Format.milliseconds(cell.latencyP95))\(cell.meetsTarget ? " ✔" : "") | "
            }
            let flag = row.disagrees ? " ⚠" : ""
            out += "\(row.cheapestMeeting.map(Markdown.text) ?? "none") | \(row.baselineModel.map(Markdown.text) ?? "—") | "
            out += "\(row.monthlySavingUSD.map { Format.usd($0) } ?? "—") | "
            out += "\(row.declared?.name ?? "—") / \(row.measured?.name ?? "—")\(flag) |\n"
        }
        let threshold = matrix.rows.filter(\.needsTopTier).map { Markdown.text($0.step) }
        out += "\n"
        if matrix.rows.allSatisfy({ $0.target == nil }) {
            out += "No step has a success target (give the SLO file `step_success` or `success`), so none is marked.\n"
        } else {
            out += threshold.isEmpty
                ? "No step needs the most expensive tier: a cheaper model meets every step's target.\n"
                : "**Steps that need the most expensive tier** (the single-model threshold): \(threshold.joined(separator: ", ")).\n"
        }
        let disagreements = matrix.rows.filter(\.disagrees)
        if !disagreements.isEmpty {
            out += "\n⚠ Declared and measured complexity disagree on: "
            out += disagreements.map { "\(Markdown.text($0.step)) (declared \($0.declared!.name), measured \($0.measured!.name))" }
                .joined(separator: "; ") + ".\n"
        }
        return out + "\n" + MarkdownReport.chart("complexity-matrix", charts)
    }
}

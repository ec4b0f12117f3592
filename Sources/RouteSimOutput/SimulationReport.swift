import RouteSimAnalysis
import RouteSimModel

/// Writes what `simulate` found: `summary.json`, the charts (`charts/`, when gnuplot is there and
/// charts are wanted) and `report.md`, which embeds them.
public enum SimulationReport {
    /// Writes the files into `directory` and says which charts were drawn or skipped.
    @discardableResult
    public static func write(_ summary: SimulationSummary, renderer: ChartRenderer = ChartRenderer(),
                             into directory: String) throws -> ChartRenderer.Outcome {
        try OutputFiles.makeDirectory(directory)
        try OutputFiles.write(SummaryJSON.render(summary), to: "\(directory)/summary.json")
        let charts = try renderer.render(SimulationCharts.charts(for: summary), into: directory)
        try OutputFiles.write(MarkdownReport.render(summary, charts: charts), to: "\(directory)/report.md")
        return charts
    }
}

import ArgumentParser
import RouteSimCore

struct ROICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roi",
        abstract: "What-if arithmetic with no log: monthly cost, savings and payback of a traffic mix.",
        discussion: """
            The scenario (YAML) gives monthly volume, per-model prices (per call, or per token \
            with average tokens), today's model, the new mix and, optionally, the engineering \
            cost and a rollout ramp. See datasets/roi-scenario.yaml. Writes OUT/roi.json and OUT/roi.md.

            Example:
              routesim roi --scenario datasets/roi-scenario.yaml --out out/roi
            """)

    @Option(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Output directory.")
    var out: String = "out"

    @Flag(inversion: .prefixedNo, help: "Draw the charts with gnuplot (PNG and SVG in OUT/charts).")
    var charts = true

    func run() throws {
        try runReportingErrors {
            let result = ROIResult(try ROIScenario.load(path: scenario))
            let directory = try OutputDirectory(out)
            try OutputFiles.write(ROIReport.json(result), to: "\(directory.path)/roi.json")
            let charts = try (charts ? ChartRenderer() : .off).render(ROICharts.charts(for: result), into: directory.path)
            warnAboutSkipped(charts)
            let markdown = ROIReport.markdown(result, charts: charts)
            try OutputFiles.write(markdown, to: "\(directory.path)/roi.md")
            try directory.commit()
            print(markdown)
        }
    }
}

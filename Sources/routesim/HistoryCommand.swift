import ArgumentParser
import RouteSimCore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the runs recorded in a store (--record-run) and the trend of CPI and success.",
        discussion: """
            Example:
              routesim history --db logs.db --policy-name router-v2 --out out/history
            """)

    @Option(help: "The store.")
    var db: String

    @Option(name: .customLong("policy-name"), help: "The policy whose figures to follow (default: each run's baseline, or a compare's candidate).")
    var policy: String?

    @Option(help: "Where to write history.md and its chart.")
    var out: String = "out"

    @Flag(inversion: .prefixedNo, help: "Draw the charts with gnuplot (PNG and SVG in OUT/charts).")
    var charts = true

    func run() throws {
        try runReportingErrors {
            let runs = try RunHistory(store: try RecordStore(existing: db)).runs(policy: policy)
            let directory = try OutputDirectory(out)
            let charts = try (charts ? ChartRenderer() : .off).render(HistoryReport.charts(runs, policy: policy), into: directory.path)
            warnAboutSkipped(charts)
            let markdown = HistoryReport.markdown(runs, policy: policy, charts: charts)
            try OutputFiles.write(markdown, to: "\(directory.path)/history.md")
            try directory.commit()
            print(markdown)
        }
    }
}

import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimOutput
import RouteSimStatistics
import Foundation

/// The `simulate` job: load the catalog and policies, replay the logs, summarise, write outputs.
public struct Simulation {
    public var logs: [String]
    /// Mocked outcomes for models the logs did not record.
    public var mockPath: String?
    /// A LiteLLM price table for catalog entries with `price_from:`.
    public var pricesPath: String?
    /// The logs' format, when not detected.
    public var format: LogFormat?
    /// Seed of the bootstrap and the mock draws; nil: the mock file's seed, else 1.
    public var seed: Int?
    /// With a mock: replay this many more times with derived seeds, for intervals over the mock's draws.
    public var replicas = 0
    /// Replay from a store instead of `logs`: its path and which records.
    public var store: (path: String, query: StoreQuery)?
    public var catalogPath: String
    public var policyPaths: [String]
    /// An SLO file for error budgets.
    public var sloPath: String?
    public var options = SimulationSummary.Options()
    public var skipInvalid = false
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var progress: ((Int) -> Void)?
    /// Draws the report's charts; without gnuplot they are skipped.
    public var renderer = ChartRenderer()

    /// The store's selected records, or the log files.
    func sources() throws -> [Replay.Source] {
        if let store { return [.store(try RecordStore(existing: store.path), store.query)] }
        return logs.map(Replay.Source.file)
    }

    public init(logs: [String], catalogPath: String, policyPaths: [String]) {
        self.logs = logs
        self.catalogPath = catalogPath
        self.policyPaths = policyPaths
    }

    /// What a run produced: the summary, and which charts were drawn or skipped.
    public struct Output: Sendable {
        public var summary: SimulationSummary
        public var charts: ChartRenderer.Outcome
    }

    /// Runs the replay and writes `summary.json`, `report.md`, `charts/` (and `rejected.jsonl`
    /// when skipping) to `outputDirectory`.
    @discardableResult
    public func run(outputDirectory: String) throws -> Output {
        let catalog = try ModelCatalog.load(path: catalogPath, pricesPath: pricesPath)
        let policies = try PolicyLoader.load(paths: policyPaths, catalog: catalog)
        var options = self.options
        let mock = try mockPath.map { try MockSpec.load(path: $0, catalog: catalog) }
        options.seed = seed ?? mock?.seed ?? 1
        options.slo = try sloPath.map { try SLOSpec.load(path: $0, catalog: catalog) }
        try OutputFiles.makeDirectory(outputDirectory)
        var replay = Replay(catalog: catalog, policies: policies)
        replay.skipInvalid = skipInvalid
        replay.threads = threads
        replay.format = format
        replay.mock = mock.map { ($0, UInt64(bitPattern: Int64(options.seed))) }
        let baseline = try SimulationSummary.baselineName(options.baseline, policies: policies, catalog: catalog)
        replay.pairedPolicy = policies.firstIndex { $0.name == baseline }
        replay.progress = progress
        // Windows feed the error budget and the report's daily timeline.
        replay.windowSeconds = options.slo?.windowSeconds ?? 86_400
        let rejectedLog = skipInvalid ? try RejectedLog(path: "\(outputDirectory)/rejected.jsonl") : nil
        let sources = try sources()
        let result = try replay.run(sources: sources) { try rejectedLog?.write($0) }
        try result.requireRequests(sources)
        var summary = try SimulationSummary(result: result, policies: policies, catalog: catalog, options: options)
        if let mock, replicas > 0 {
            // Each replica redraws every mocked outcome from a seed derived from the run's seed.
            var perPolicy = [[(cpi: Double, success: Double)]](repeating: [], count: policies.count)
            for replica in 1...replicas {
                replay.mock = (mock, MockDrawer.mix(UInt64(bitPattern: Int64(options.seed)) &+ UInt64(replica)))
                let again = try replay.run(sources: sources)
                for (index, totals) in again.totals.policies.enumerated() {
                    let n = Double(max(totals.requests, 1))
                    perPolicy[index].append((totals.cost.value / n, Double(totals.successes) / n))
                }
            }
            summary.mockReplicas = replicas
            for index in summary.policies.indices {
                summary.policies[index].cpiMockCI95 = GroupBootstrap.percentileInterval(perPolicy[index].map(\.cpi))
                summary.policies[index].successMockCI95 = GroupBootstrap.percentileInterval(perPolicy[index].map(\.success))
            }
        }
        try OutputFiles.write(SummaryJSON.render(summary), to: "\(outputDirectory)/summary.json")
        let charts = try renderer.render(SimulationCharts.charts(for: summary), into: outputDirectory)
        try OutputFiles.write(MarkdownReport.render(summary, charts: charts), to: "\(outputDirectory)/report.md")
        return Output(summary: summary, charts: charts)
    }
}

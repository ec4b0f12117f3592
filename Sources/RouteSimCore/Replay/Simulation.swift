import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimOutput
import RouteSimStatistics
import Foundation

/// The `simulate` job: load the catalog and policies, replay the logs, summarise, write outputs.
public struct Simulation {
    public var inputs: ReplayInputs
    /// With a mock: replay this many more times with derived seeds, for intervals over the mock's draws.
    public var replicas = 0
    /// An SLO file for error budgets.
    public var sloPath: String?
    public var options = SimulationSummary.Options()
    public var progress: ((Int) -> Void)?
    /// Draws the report's charts; without gnuplot they are skipped.
    public var renderer = ChartRenderer()

    public init(inputs: ReplayInputs) {
        self.inputs = inputs
    }

    public init(logs: [String], catalogPath: String, policyPaths: [String]) {
        self.init(inputs: ReplayInputs(logs: logs, catalogPath: catalogPath, policyPaths: policyPaths))
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
        let catalog = try inputs.catalog()
        let policies = try inputs.policies(catalog)
        var options = self.options
        let (mock, seed) = try inputs.mockAndSeed(catalog)
        options.seed = seed
        options.slo = try sloPath.map { try SLOSpec.load(path: $0, catalog: catalog) }
        try OutputFiles.makeDirectory(outputDirectory)
        var replay = inputs.replay(catalog: catalog, policies: policies, mock: mock, seed: seed)
        let baseline = try SimulationSummary.baselineName(options.baseline, policies: policies, catalog: catalog)
        replay.pairedPolicy = policies.firstIndex { $0.name == baseline }
        replay.progress = progress
        // Windows feed the error budget and the report's daily timeline.
        replay.windowSeconds = options.slo?.windowSeconds ?? 86_400
        let rejectedLog = inputs.skipInvalid ? try RejectedLog(path: "\(outputDirectory)/rejected.jsonl") : nil
        let sources = try inputs.sources()
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

import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// The `simulate` job: load the catalog and policies, replay the logs, summarise. It returns the
/// summary; `SimulationReport` writes it out.
public struct Simulation {
    public var inputs: ReplayInputs
    /// With a mock: replay this many more times with derived seeds, for intervals over the mock's draws.
    public var replicas = 0
    /// An SLO file for error budgets.
    public var sloPath: String?
    public var options = SimulationSummary.Options()
    public var progress: ((Int) -> Void)?

    public init(inputs: ReplayInputs) {
        self.inputs = inputs
    }

    public init(logs: [String], catalogPath: String, policyPaths: [String]) {
        self.init(inputs: ReplayInputs(logs: logs, catalogPath: catalogPath, policyPaths: policyPaths))
    }

    /// What production did, as a `recorded` policy to add as the baseline when every log is a log
    /// of calls (traces, gateway logs: they record every call production made) and neither
    /// `--baseline` nor a `recorded` policy is given (docs/policies.md, "What production did").
    /// Batch files are not: their calls are the same requests sent to several models.
    static func production(_ inputs: ReplayInputs, _ policies: [Policy]) -> Policy? {
        let calls: Set<LogFormat> = [.otelGenAI, .litellm, .langfuse, .helicone]
        guard inputs.store == nil, !inputs.logs.isEmpty,
              inputs.logs.allSatisfy({ path in (inputs.format ?? (try? LogFormat.detect(path: path))).map(calls.contains) ?? false }),
              !policies.contains(where: { if case .recorded = $0.kind { return true } else { return false } }) else { return nil }
        let name = policies.contains { $0.name == "production" } ? "production (recorded)" : "production"
        return Policy(name: name, kind: .recorded)
    }

    /// What a run reads before its replay: the catalog, the policies (with production's added
    /// when `production` says so: nil, detect it from the logs), the options and the replay.
    struct Prepared {
        var policies: [Policy]
        var catalog: ModelCatalog
        var production: Policy?
        var options: SimulationSummary.Options
        var mock: MockSpec?
        var replay: Replay

        /// The summary of `result`, with the bootstrap given if one was drawn already.
        func summary(_ result: Replay.Result, bootstrap: GroupBootstrap? = nil) throws -> SimulationSummary {
            var summary = try SimulationSummary(result: result, policies: policies, catalog: catalog, options: options, bootstrap: bootstrap)
            summary.addedProduction = production?.name
            return summary
        }
    }

    func prepare(production added: String?? = nil) throws -> Prepared {
        let catalog = try inputs.catalog()
        var policies = try inputs.policies(catalog)
        let production = added.map { $0.map { Policy(name: $0, kind: .recorded) } } ?? (options.baseline == nil ? Self.production(inputs, policies) : nil)
        if let production { policies.insert(production, at: 0) }
        var options = self.options
        let (mock, seed) = try inputs.mockAndSeed(catalog)
        options.seed = seed
        options.slo = try sloPath.map { try SLOSpec.load(path: $0, catalog: catalog) }
        var replay = inputs.replay(catalog: catalog, policies: policies, mock: mock, seed: seed)
        options.baseline = try SimulationSummary.baselineName(options.baseline, policies: policies, catalog: catalog)
        replay.pairedPolicy = policies.firstIndex { $0.name == options.baseline }
        replay.progress = progress
        // Windows feed the error budget and the report's daily timeline.
        replay.windowSeconds = options.windowSeconds
        replay.latencyBudget = options.slo?.latencyBudget
        return Prepared(policies: policies, catalog: catalog, production: production, options: options, mock: mock, replay: replay)
    }

    /// Runs the replay and summarises it; with `skipInvalid`, each rejected record goes to `onReject`.
    public func run(onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> SimulationSummary {
        let prepared = try prepare()
        // The bootstrap's 2 million draws depend on the seed alone: drawn beside the start of the
        // replay, while a core is free, not after it (docs/performance.md).
        let seed = UInt(bitPattern: prepared.options.seed)
        let bootstrap = Background { GroupBootstrap(seed: seed) }
        var replay = prepared.replay
        let sources = try inputs.sources()
        let result = try replay.run(sources: sources, onReject: onReject)
        try result.requireRequests(sources)
        var summary = try prepared.summary(result, bootstrap: bootstrap.value)
        let (mock, policies, options) = (prepared.mock, prepared.policies, prepared.options)
        if let mock, replicas > 0 {
            // Each replica redraws every mocked outcome from a seed derived from the run's seed.
            var perPolicy = [[(cpi: Double, success: Double)]](repeating: [], count: policies.count)
            for replica in 1...replicas {
                replay.mock = (mock, MockDrawer.seed(run: options.seed, replica: replica))
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
        return summary
    }
}

import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// The `sweep` job: one parameter of one policy over many settings, in a single pass over the logs.
public struct Sweep {
    public var inputs: ReplayInputs
    public var policyName: String
    public var parameter: String
    public var values: [Double]

    public init(inputs: ReplayInputs, policyName: String, parameter: String, values: [Double]) {
        self.inputs = inputs
        self.policyName = policyName
        self.parameter = parameter
        self.values = values
    }

    public init(logs: [String], catalogPath: String, policyPaths: [String], policyName: String, parameter: String, values: [Double]) {
        self.init(inputs: ReplayInputs(logs: logs, catalogPath: catalogPath, policyPaths: policyPaths), policyName: policyName,
                  parameter: parameter, values: values)
    }

    /// `count` evenly spaced values from `from` to `to`, both included, each rounded to the
    /// decimals the grid needs (nine or fewer in practice), so that a setting reads as it is meant — 0.57, not
    /// 0.5700000000000001 — and copying it into a policy file gives that very setting.
    public static func grid(from: Double, to: Double, count: Int) -> [Double] {
        guard count > 1 else { return [from] }
        let step = (to - from) / Double(count - 1)
        var places = 0, scale = 1.0
        while places < 12, [from, step].contains(where: { abs(($0 * scale).rounded() - $0 * scale) > 1e-9 * max(1, abs($0 * scale)) }) {
            places += 1
            scale *= 10
        }
        return (0..<count).map { index in ((from + step * Double(index)) * scale).rounded() / scale }
    }

    /// What a sweep reads before its replay: the catalog, the plan of settings, and the replay of
    /// the other policies of the files (they ride along, to be drawn beside the sweep).
    struct Prepared {
        var catalog: ModelCatalog
        var plan: SweepPlan
        var others: [Policy]
        var replay: Replay

        /// The sweep's figures from a replay (one run's, or merged shards').
        func result(_ replayed: Replay.Result) throws -> SweepResult {
            guard let totals = replayed.totals.sweep else {
                throw RouteSimError.usage("the logs hold no valid requests to sweep over")
            }
            var sweepResult = SweepResult(plan: plan, replay: replayed, totals: totals, catalog: catalog)
            sweepResult.others = zip(others, replayed.totals.policies).map { PolicyMetrics(name: $0.name, kind: $0.kind.name, totals: $1, catalog: catalog) }
            return sweepResult
        }
    }

    func prepare() throws -> Prepared {
        let catalog = try inputs.catalog()
        try catalog.requireNoSelfHosting(.sweep)
        let plan = try SweepPlan(policyName: policyName, parameter: try ParameterPath(parameter), values: values,
                                 paths: inputs.policyPaths, catalog: catalog)
        let others = try inputs.policies(catalog).filter { $0.name != policyName }
        let (mock, seed) = try inputs.mockAndSeed(catalog)
        var replay = inputs.replay(catalog: catalog, policies: others, mock: mock, seed: seed)
        replay.sweep = plan
        return Prepared(catalog: catalog, plan: plan, others: others, replay: replay)
    }

    public func run(onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> SweepResult {
        let prepared = try prepare()
        let sources = try inputs.sources()
        let result = try prepared.replay.run(sources: sources, onReject: onReject)
        try result.requireRequests(sources)
        return try prepared.result(result)
    }
}

/// What a sweep found, per setting and overall.
public struct SweepResult: Sendable {
    public var plan: SweepPlan
    public var requests: Int
    public var recordsRead: Int
    public var rejected: Int
    public var frontier: Frontier
    /// The two models a two-model sweep calls (weak: the lower tier), found from the calls made.
    public var weakName: String?
    public var strongName: String?
    /// Single-model success rates of the two models, for PGR.
    public var weakSuccess: Double?
    public var strongSuccess: Double?
    /// The other policies of the files, replayed in the same pass.
    public var others: [PolicyMetrics] = []

    package init(plan: SweepPlan, replay: Replay.Result, totals: SweepTotals, catalog: ModelCatalog) {
        self.plan = plan
        requests = replay.totals.accepted
        recordsRead = replay.recordsRead
        rejected = replay.rejected
        let n = Double(replay.totals.accepted)
        func rate(_ model: Int?) -> Double? {
            guard let model, replay.totals.modelOutcomes[model] == replay.totals.accepted else { return nil }
            return Double(replay.totals.modelSuccesses[model]) / n
        }
        // RouteLLM's figures are for two-model routing: the models any setting called, when there are two.
        let settings = totals.perSetting()
        let used = catalog.models.indices.filter { model in settings.contains { $0.calls[model] > 0 } }
        let pair = used.count == 2 ? used.sorted { catalog.models[$0].tier < catalog.models[$1].tier } : nil
        weakName = pair.map { catalog.models[$0[0]].name }
        strongName = pair.map { catalog.models[$0[1]].name }
        let weak = rate(pair?[0]), strong = rate(pair?[1])
        weakSuccess = weak
        strongSuccess = strong
        let points = zip(plan.values, settings).map { value, setting in
            let success = Double(setting.successes) / n
            var pgr: Double?
            if let weak, let strong, strong > weak { pgr = (success - weak) / (strong - weak) }
            // The strong model's share counts its calls, which is what is paid for (a strong-first cascade calls it every time).
            return Frontier.Point(value: value, cpiUSD: setting.costUSD / n, successRate: success,
                                  strongShare: pair.map { Double(setting.calls[$0[1]]) / n }, pgr: pgr)
        }
        frontier = Frontier(points: points)
    }
}

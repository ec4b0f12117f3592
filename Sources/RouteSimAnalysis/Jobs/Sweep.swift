import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// The `sweep` job: one parameter of one policy over many settings, in a single pass over the logs.
public struct Sweep {
    public var logs: [String]
    /// Mocked outcomes for models the logs did not record.
    public var mockPath: String?
    /// A LiteLLM price table for catalog entries with `price_from:`.
    public var pricesPath: String?
    /// The logs' format, when not detected.
    public var format: LogFormat?
    /// Seed of the mock draws; nil: the mock file's seed, else 1.
    public var seed: Int?
    /// Replay from a store instead of `logs`: its path and which records.
    public var store: (path: String, query: StoreQuery)?
    public var catalogPath: String
    public var policyPaths: [String]
    public var policyName: String
    public var parameter: String
    public var values: [Double]
    public var skipInvalid = false
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    /// The store's selected records, or the log files.
    package func sources() throws -> [Replay.Source] {
        if let store { return [.store(try RecordStore(existing: store.path), store.query)] }
        return logs.map(Replay.Source.file)
    }

    public init(logs: [String], catalogPath: String, policyPaths: [String], policyName: String, parameter: String, values: [Double]) {
        self.logs = logs
        self.catalogPath = catalogPath
        self.policyPaths = policyPaths
        self.policyName = policyName
        self.parameter = parameter
        self.values = values
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

    public func run(onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> SweepResult {
        let catalog = try ModelCatalog.load(path: catalogPath, pricesPath: pricesPath)
        let plan = try SweepPlan(policyName: policyName, parameter: try ParameterPath(parameter), values: values,
                                 paths: policyPaths, catalog: catalog)
        // The other policies of the files ride along, to be drawn beside the sweep.
        let others = try PolicyLoader.load(paths: policyPaths, catalog: catalog).filter { $0.name != policyName }
        var replay = Replay(catalog: catalog, policies: others)
        replay.sweep = plan
        if let mockPath {
            let mock = try MockSpec.load(path: mockPath, catalog: catalog)
            replay.mock = (mock, UInt64(bitPattern: Int64(seed ?? mock.seed ?? 1)))
        }
        replay.skipInvalid = skipInvalid
        replay.threads = threads
        replay.format = format
        let sources = try sources()
        let result = try replay.run(sources: sources, onReject: onReject)
        try result.requireRequests(sources)
        guard let totals = result.totals.sweep else {
            throw RouteSimError.usage("the logs hold no valid requests to sweep over")
        }
        var sweepResult = SweepResult(plan: plan, replay: result, totals: totals, catalog: catalog)
        sweepResult.others = zip(others, result.totals.policies).map { PolicyMetrics(name: $0.name, kind: $0.kind.name, totals: $1, catalog: catalog) }
        return sweepResult
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

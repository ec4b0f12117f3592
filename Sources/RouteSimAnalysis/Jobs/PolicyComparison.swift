import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// The `compare` job, a CI gate: a candidate policy against a baseline on the same requests.
public struct PolicyComparison {
    public var logs: [String]
    /// Mocked outcomes for models the logs did not record.
    public var mockPath: String?
    /// A LiteLLM price table for catalog entries with `price_from:`.
    public var pricesPath: String?
    /// The logs' format, when not detected.
    public var format: LogFormat?
    /// Replay from a store instead of `logs`: its path and which records.
    public var store: (path: String, query: StoreQuery)?
    public var catalogPath: String
    public var policyPaths: [String]
    public var baseline: String
    public var candidate: String
    /// The largest relative CPI increase tolerated (0.02: 2%).
    public var maxCPIIncrease = 0.02
    /// The largest drop in success rate tolerated, in absolute terms (0.005: half a point).
    public var maxSuccessDrop = 0.005
    /// A limit counts as exceeded only when the excess is significant at this level.
    public var alpha = 0.05
    /// Seed of the bootstrap and the mock draws; nil: the mock file's seed, else 1.
    public var seed: Int?
    public var skipInvalid = false
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    /// The store's selected records, or the log files.
    package func sources() throws -> [Replay.Source] {
        if let store { return [.store(try RecordStore(existing: store.path), store.query)] }
        return logs.map(Replay.Source.file)
    }

    public init(logs: [String], catalogPath: String, policyPaths: [String], baseline: String, candidate: String) {
        self.logs = logs
        self.catalogPath = catalogPath
        self.policyPaths = policyPaths
        self.baseline = baseline
        self.candidate = candidate
    }

    /// Replays both policies over the logs and judges the candidate.
    public func run(onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> ComparisonResult {
        let catalog = try ModelCatalog.load(path: catalogPath, pricesPath: pricesPath)
        let all = try PolicyLoader.load(paths: policyPaths, catalog: catalog)
        func named(_ name: String, _ flag: String) throws -> Policy {
            guard let policy = all.first(where: { $0.name == name }) else {
                throw RouteSimError.usage("\(flag) \(name) is not one of the policies: \(all.map(\.name).joined(separator: ", "))")
            }
            return policy
        }
        var replay = Replay(catalog: catalog, policies: [try named(baseline, "--baseline"), try named(candidate, "--candidate")])
        replay.skipInvalid = skipInvalid
        replay.threads = threads
        replay.format = format
        replay.pairedPolicy = 0
        let mock = try mockPath.map { try MockSpec.load(path: $0, catalog: catalog) }
        let seed = self.seed ?? mock?.seed ?? 1
        replay.mock = mock.map { ($0, UInt64(bitPattern: Int64(seed))) }
        let sources = try sources()
        let result = try replay.run(sources: sources, onReject: onReject)
        try result.requireRequests(sources)
        return ComparisonResult(comparison: self, replay: result, catalog: catalog, seed: seed)
    }
}

/// What `compare` found: the paired differences and the verdict of each gate criterion.
public struct ComparisonResult: Sendable {
    /// One gate criterion: passed unless `observed` exceeds `limit` significantly (p < alpha).
    public struct Criterion: Sendable {
        public var name: String
        public var observed: Double
        public var limit: Double
        public var pValue: Double
        public var passed: Bool
        /// One sentence for the pull-request comment.
        public var explanation: String
    }

    public var baseline: String
    public var candidate: String
    public var alpha: Double
    public var seed: Int
    public var requests: Int
    public var recordsRead: Int
    public var rejected: Int
    public var base: PolicyMetrics
    public var cand: PolicyMetrics
    public var cpiDiffUSD: Double
    public var cpiDiffCI95: ClosedRange<Double>?
    public var cpiIncrease: Double
    public var cpiIncreaseCI95: ClosedRange<Double>?
    /// Candidate minus baseline success rate (negative: the candidate fails more).
    public var successDiff: Double
    public var successDiffCI95: ClosedRange<Double>
    /// Requests the baseline answered and the candidate did not, and the reverse.
    public var lost: Int
    public var won: Int
    public var mcnemarP: Double
    public var criteria: [Criterion]
    public var maxSuccessDrop: Double

    /// Whether the 95% interval of the success difference excludes a drop beyond the limit: when it
    /// does not, a pass means "no drop shown", and the report says there were too few requests to tell.
    public var dropRuledOut: Bool { successDiffCI95.lowerBound >= -maxSuccessDrop }

    public var passed: Bool { criteria.allSatisfy(\.passed) }

    package init(comparison: PolicyComparison, replay: Replay.Result, catalog: ModelCatalog, seed: Int) {
        let totals = replay.totals
        baseline = comparison.baseline
        candidate = comparison.candidate
        alpha = comparison.alpha
        maxSuccessDrop = comparison.maxSuccessDrop
        self.seed = seed
        requests = totals.accepted
        recordsRead = replay.recordsRead
        rejected = replay.rejected
        base = PolicyMetrics(name: baseline, totals: totals.policies[0], catalog: catalog)
        cand = PolicyMetrics(name: candidate, totals: totals.policies[1], catalog: catalog)
        lost = totals.policies[1].lostAgainstPaired
        won = totals.policies[1].wonAgainstPaired

        let bootstrap = GroupBootstrap(seed: UInt(bitPattern: seed))
        let counts = bootstrap.sums(totals.groupRequests.map(Double.init))
        let costs = totals.policies.map { bootstrap.sums($0.groupCostUSD) }
        let difference = zip(costs[1], costs[0]).map { $0 - $1 }
        cpiDiffUSD = cand.cpiUSD - base.cpiUSD
        cpiDiffCI95 = GroupBootstrap.percentileInterval(GroupBootstrap.ratios(difference, counts))
        let increases = GroupBootstrap.ratios(difference, costs[0])
        cpiIncrease = base.cpiUSD > 0 ? cpiDiffUSD / base.cpiUSD : 0
        cpiIncreaseCI95 = GroupBootstrap.percentileInterval(increases)
        // Share of replicates at or under the limit, the bootstrap p-value of "increase ≤ limit".
        let defined = increases.compactMap { $0 }
        let atOrUnder = defined.filter { $0 <= comparison.maxCPIIncrease }.count
        let cpiP = base.cpiUSD > 0 ? Double(atOrUnder + 1) / Double(defined.count + 1) : 1

        successDiff = Double(won - lost) / Double(requests)
        successDiffCI95 = PairedTests.differenceInterval(lost: lost, won: won, requests: requests)
        mcnemarP = PairedTests.mcnemar(lost: lost, won: won)
        let successP = PairedTests.dropAtMost(comparison.maxSuccessDrop, lost: lost, won: won, requests: requests)

        criteria = [
            Criterion(name: "cpi_increase", observed: cpiIncrease, limit: comparison.maxCPIIncrease, pValue: cpiP,
                      passed: cpiP >= comparison.alpha,
                      explanation: "cost per request may rise by at most \(Format.percent(comparison.maxCPIIncrease))"),
            Criterion(name: "success_drop", observed: -successDiff, limit: comparison.maxSuccessDrop, pValue: successP,
                      passed: successP >= comparison.alpha,
                      explanation: "success rate may fall by at most \(Format.fixed(comparison.maxSuccessDrop * 100, 2)) points"),
        ]
    }
}

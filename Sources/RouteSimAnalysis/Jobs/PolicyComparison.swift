import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// The `compare` job, a CI gate: a candidate policy against a baseline on the same requests.
public struct PolicyComparison {
    public var inputs: ReplayInputs
    public var baseline: String
    public var candidate: String
    /// The largest relative CPI increase tolerated (0.02: 2%).
    public var maxCPIIncrease = 0.02
    /// The largest drop in success rate tolerated, in absolute terms (0.005: half a point).
    public var maxSuccessDrop = 0.005
    /// A limit counts as exceeded only when the excess is significant at this level.
    public var alpha = 0.05
    public init(inputs: ReplayInputs, baseline: String, candidate: String) {
        self.inputs = inputs
        self.baseline = baseline
        self.candidate = candidate
    }

    public init(logs: [String], catalogPath: String, policyPaths: [String], baseline: String, candidate: String) {
        self.init(inputs: ReplayInputs(logs: logs, catalogPath: catalogPath, policyPaths: policyPaths), baseline: baseline, candidate: candidate)
    }

    /// What a comparison reads before its replay: the catalog, the replay of the two policies
    /// (the baseline first, the candidate paired with it) and the run's seed.
    struct Prepared {
        var catalog: ModelCatalog
        var replay: Replay
        var seed: Int

        /// Judges the candidate on a replay of both (one run's, or merged shards').
        func judge(_ replayed: Replay.Result, _ comparison: PolicyComparison) throws -> ComparisonResult {
            var replayed = replayed
            // Self-hosted fleets cost both policies what simulate says they cost (docs/capacity.md).
            let fleets = try Fleets.apply(&replayed.totals, policies: replay.policies, catalog: catalog, windowSeconds: nil, budgetMs: nil,
                                         scale: 1, curve: false)
            var result = ComparisonResult(comparison: comparison, replay: replayed, catalog: catalog, seed: seed)
            (result.base.fleets, result.cand.fleets) = (fleets[0], fleets[1])
            return result
        }
    }

    func prepare() throws -> Prepared {
        let catalog = try inputs.catalog()
        let all = try inputs.policies(catalog)
        func named(_ name: String, _ flag: String) throws -> Policy {
            guard let policy = all.first(where: { $0.name == name }) else {
                throw RouteSimError.usage("\(flag) \(name) is not one of the policies: \(all.map(\.name).joined(separator: ", "))")
            }
            return policy
        }
        let (mock, seed) = try inputs.mockAndSeed(catalog)
        var replay = inputs.replay(catalog: catalog, policies: [try named(baseline, "--baseline"), try named(candidate, "--candidate")],
                                   mock: mock, seed: seed)
        replay.pairedPolicy = 0
        return Prepared(catalog: catalog, replay: replay, seed: seed)
    }

    /// Replays both policies over the logs and judges the candidate.
    public func run(onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> ComparisonResult {
        let prepared = try prepare()
        let sources = try inputs.sources()
        let result = try prepared.replay.run(sources: sources, onReject: onReject)
        try result.requireRequests(sources)
        return try prepared.judge(result, self)
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

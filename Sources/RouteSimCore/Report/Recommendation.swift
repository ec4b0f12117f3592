/// The policy the report recommends, and why: the one that saves most against the baseline among
/// those whose success rate is not lower by more than half a point beyond chance (the paired
/// margin test of `compare`, at α = 0.05). The oracle is a bound, not a policy one can deploy.
public struct Recommendation: Sendable {
    public var policy: PolicyMetrics
    public var baseline: PolicyMetrics
    /// p-value that its success drop is at most half a point.
    public var qualityP: Double

    public static let maxSuccessDrop = 0.005

    public init?(_ summary: SimulationSummary) {
        guard let base = summary.policies.first(where: { $0.name == summary.baseline }) else { return nil }
        let candidates = summary.policies.compactMap { policy -> (PolicyMetrics, Double)? in
            guard policy.name != base.name, policy.kind != "oracle", (policy.savings?.cpiUSD ?? 0) > 0 else { return nil }
            let p = PairedTests.dropAtMost(Self.maxSuccessDrop, lost: policy.lostToBaseline, won: policy.wonOverBaseline,
                                           requests: policy.requests)
            return p >= 0.05 ? (policy, p) : nil
        }
        guard let best = candidates.max(by: { $0.0.savings!.cpiUSD < $1.0.savings!.cpiUSD }) else { return nil }
        policy = best.0
        baseline = base
        qualityP = best.1
    }
}

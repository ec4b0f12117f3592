import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// What the report concludes (docs/statistics.md, "The recommendation"): among the policies
/// that save money against the baseline (the oracle is a bound, not a policy one can deploy),
/// the one that saves most **and is shown** to keep the success rate within half a point of the
/// baseline's (a one-sided non-inferiority test at α = 0.05). When no policy is shown to, but
/// some show no significant drop either, the data are too few to tell, and the report says so
/// rather than claim what was not shown.
public struct Recommendation: Sendable {
    public enum Verdict: String, Sendable {
        /// `policy` saves most among those shown to keep quality.
        case recommended
        /// `policy` saves most, but whether it keeps quality cannot be told from these requests.
        case notEnoughData = "not_enough_data"
        /// Every policy that saves money loses quality beyond chance, or none saves money.
        case none
    }

    public var verdict: Verdict
    public var policy: PolicyMetrics?
    public var baseline: PolicyMetrics
    /// p-value of "the drop is the margin or more" (small: quality shown to be kept).
    public var qualityP: Double?
    /// 95% interval of the policy's success rate minus the baseline's.
    public var successDiffCI95: ClosedRange<Double>?

    public static let maxSuccessDrop = 0.005
    public static let alpha = 0.05

    public init?(_ summary: SimulationSummary) {
        guard let base = summary.policies.first(where: { $0.name == summary.baseline }) else { return nil }
        baseline = base
        let saving = summary.policies.filter { $0.name != base.name && $0.kind != "oracle" && ($0.savings?.cpiUSD ?? 0) > 0 }
        func shownP(_ policy: PolicyMetrics) -> Double {
            PairedTests.dropUnderShown(Self.maxSuccessDrop, lost: policy.lostToBaseline, won: policy.wonOverBaseline, requests: policy.requests)
        }
        func noSignificantDrop(_ policy: PolicyMetrics) -> Bool {
            PairedTests.dropAtMost(Self.maxSuccessDrop, lost: policy.lostToBaseline, won: policy.wonOverBaseline,
                                   requests: policy.requests) >= Self.alpha
        }
        let bySavings = { (a: PolicyMetrics, b: PolicyMetrics) in a.savings!.cpiUSD < b.savings!.cpiUSD }
        if let best = saving.filter({ shownP($0) < Self.alpha }).max(by: bySavings) {
            verdict = .recommended
            policy = best
        } else if let best = saving.filter(noSignificantDrop).max(by: bySavings) {
            verdict = .notEnoughData
            policy = best
        } else {
            verdict = .none
        }
        if let policy {
            qualityP = shownP(policy)
            successDiffCI95 = PairedTests.differenceInterval(lost: policy.lostToBaseline, won: policy.wonOverBaseline,
                                                             requests: policy.requests)
        }
    }
}

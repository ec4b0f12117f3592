import RouteSimEngine
import RouteSimModel
import RouteSimStatistics

/// One step's figures for one policy (docs/metrics.md, "Steps"). Rates are over the requests on
/// which the policy ran the step; `cpiUSD` is the step's cost over all the policy's requests, so
/// that the steps' CPIs and the overhead add up to the policy's.
public struct StepMetrics: Sendable {
    public var step: String
    /// Requests on which the policy ran the step.
    public var requests: Int
    public var costUSD: Double
    public var costShare: Double
    public var cpiUSD: Double
    public var successRate: Double
    public var overRoutingRate: Double
    public var underRoutingRate: Double
    public var escalationRate: Double
    public var reviewRate: Double
    /// Rounds per run (above 1 when a critic loop revised).
    public var roundsPerRequest: Double
    /// p50, p95 and p99 of the step's latency, from a latency sketch (within 0.5%).
    public var latencyP50: Double?
    public var latencyP95: Double?
    public var latencyP99: Double?
    /// The step's latency budget from the SLO file, and the share of its runs over it.
    public var budgetMs: Double?
    public var overBudgetShare: Double?
    /// Windows in which too few of the step's runs met its budget (error-budget breaches `latency:STEP`).
    public var budgetBreaches: Int?
    /// Per model (catalog order; the policy's name for an ensemble's combined answers), the share of runs it answered.
    public var modelMix: [(model: String, share: Double)]

    package init(step: String, counts: StepCounts, policy: PolicyAccumulator, policyName: String, catalog: ModelCatalog,
                 budget: LatencyBudget? = nil) {
        let n = Double(max(counts.requests, 1))
        let unit = ExactSum.dollars().unitsPerOne
        self.step = step
        requests = counts.requests
        costUSD = Double(counts.costUnits) / unit
        let policyCost = Double(policy.cost.units) / unit
        costShare = policyCost > 0 ? costUSD / policyCost : 0
        cpiUSD = costUSD / Double(max(policy.requests, 1))
        successRate = Double(counts.successes) / n
        overRoutingRate = Double(counts.overRouted) / n
        underRoutingRate = Double(counts.underRouted) / n
        escalationRate = Double(counts.escalated) / n
        reviewRate = Double(counts.review) / n
        roundsPerRequest = Double(counts.rounds) / n
        latencyP50 = counts.latency.quantile(0.5)
        latencyP95 = counts.latency.quantile(0.95)
        latencyP99 = counts.latency.quantile(0.99)
        budgetMs = budget?.steps[step]
        overBudgetShare = budgetMs == nil ? nil : counts.budget.overShare
        modelMix = counts.answers.enumerated().compactMap { index, count in
            guard count > 0 else { return nil }
            return (index < catalog.count ? catalog.models[index].name : policyName, Double(count) / n)
        }
    }
}

import RouteSimModel
import RouteSimStatistics

/// What one policy did on one step (by name) over the requests replayed so far. Mergeable.
public struct StepCounts: Sendable, Equatable, Codable {
    /// Requests on which the policy ran the step.
    public var requests = 0
    public var successes = 0
    public var overRouted = 0
    public var underRouted = 0
    public var unsolvable = 0
    public var escalated = 0
    public var review = 0
    public var calls = 0
    /// Rounds run (more than `requests` when a critic loop revised).
    public var rounds = 0
    /// Exact cost in `ExactSum.dollars()` units.
    public var costUnits: Int128 = 0
    /// The step's latency (all its rounds), for the runs that recorded one.
    public var latency = LatencySketch()
    /// Final answers per catalog model; the extra last slot counts an ensemble's combined answers.
    public var answers: [Int]
    /// Runs checked against the step's latency budget, overall and per time window.
    public var budget = BudgetCounts()
    public var budgetWindows: [Int: BudgetCounts] = [:]

    public init(modelCount: Int) {
        answers = Array(repeating: 0, count: modelCount + 1)
    }

    /// Adds one run of the step, classified against the step's own oracle as a request is (docs/metrics.md).
    package mutating func add(_ step: StepDecision, costUnits cost: Int128, window: Int? = nil, budgetMs: Double? = nil) {
        let decision = step.decision
        budget.add(decision.latencyMs, budget: budgetMs)
        if let window, let budgetMs { budgetWindows[window, default: BudgetCounts()].add(decision.latencyMs, budget: budgetMs) }
        requests += 1
        rounds += step.rounds
        calls += decision.calls
        costUnits += cost
        if decision.success { successes += 1 }
        if decision.escalated { escalated += 1 }
        if decision.review { review += 1 }
        if let latency = decision.latencyMs { self.latency.add(latency) }
        answers[decision.answerModel ?? answers.count - 1] += 1
        switch decision.routing(oracleCost: step.oracleCost) {
        case .right: break
        case .overRouted: overRouted += 1
        case .underRouted: underRouted += 1
        case .unsolvable: unsolvable += 1
        }
    }

    package mutating func merge(_ other: StepCounts) {
        requests += other.requests
        successes += other.successes
        overRouted += other.overRouted
        underRouted += other.underRouted
        unsolvable += other.unsolvable
        escalated += other.escalated
        review += other.review
        calls += other.calls
        rounds += other.rounds
        costUnits += other.costUnits
        latency.merge(other.latency)
        budget.merge(other.budget)
        for (window, counts) in other.budgetWindows { budgetWindows[window, default: BudgetCounts()].merge(counts) }
        for index in answers.indices { answers[index] += other.answers[index] }
    }
}

import RouteSimModel
import RouteSimStatistics
/// What one policy did in one time window, enough to check every SLO there. Mergeable.
public struct WindowCounts: Sendable, Equatable, Codable {
    public var requests = 0
    public var successes = 0
    /// Requests neither over-routed, under-routed nor unsolvable.
    public var routedRight = 0
    /// Exact cost in `ExactSum.dollars()` units.
    public var costUnits: Int128 = 0
    /// Per catalog model: answers taken from it, and how many of those succeeded.
    public var answers: [Int]
    public var answerSuccesses: [Int]
    /// Requests checked against the end-to-end latency budget, and those within it.
    public var budget = BudgetCounts()

    public init(modelCount: Int) {
        answers = Array(repeating: 0, count: modelCount)
        answerSuccesses = answers
    }

    package mutating func record(_ decision: Decision, costUnits cost: Int128, routedRight right: Bool, budgetMs: Double?) {
        requests += 1
        budget.add(decision.latencyMs, budget: budgetMs)
        costUnits += cost
        if decision.success { successes += 1 }
        if right { routedRight += 1 }
        if let model = decision.answerModel {
            answers[model] += 1
            if decision.success { answerSuccesses[model] += 1 }
        }
    }

    public mutating func merge(_ other: WindowCounts) {
        requests += other.requests
        successes += other.successes
        routedRight += other.routedRight
        costUnits += other.costUnits
        budget.merge(other.budget)
        for index in answers.indices {
            answers[index] += other.answers[index]
            answerSuccesses[index] += other.answerSuccesses[index]
        }
    }
}

/// What a policy did for one request.
public struct Decision: Equatable, Sendable {
    /// Every call, check and overhead paid for.
    public var costUSD: Double
    /// End-to-end latency; nil when an outcome it needs recorded none.
    public var latencyMs: Double?
    /// Whether the final answer succeeded.
    public var success: Bool
    /// The catalog model that gave the final answer; nil for an ensemble's combined answer.
    public var answerModel: Int?
    /// The cost of the call(s) whose answer was used (one model's call; an ensemble's members).
    public var answerCostUSD: Double
    public var escalated: Bool
    public var review: Bool
    /// Model calls made, how many of them used mocked outcomes, and how many failed.
    public var calls = 1
    public var mockedCalls = 0
    public var failedCalls = 0
}

/// How a decision compares with its oracle, the cheapest model that succeeded (docs/metrics.md):
/// the one place the rule is written, for requests and for steps alike.
package enum Routing {
    /// The answer succeeded and no cheaper model would have.
    case right
    /// The answer succeeded and the oracle's call costs strictly less than the answer's.
    case overRouted
    /// The answer failed and some model succeeded.
    case underRouted
    /// No model succeeded.
    case unsolvable
}

extension Decision {
    package func routing(oracleCost: Double?) -> Routing {
        guard let oracleCost else { return .unsolvable }
        if !success { return .underRouted }
        return oracleCost < answerCostUSD ? .overRouted : .right
    }
}

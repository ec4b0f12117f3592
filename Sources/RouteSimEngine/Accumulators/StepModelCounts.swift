import RouteSimModel
import RouteSimStatistics

/// What one model did on one step (by name) over the requests whose log records its outcome there
/// — first rounds only, whatever the policies chose. The complexity matrix's cell. Mergeable.
public struct StepModelCounts: Sendable, Equatable, Codable {
    public var outcomes = 0
    public var successes = 0
    /// Exact cost of the calls, in `ExactSum.dollars()` units.
    public var costUnits: Int128 = 0
    public var latency = LatencySketch()

    public init() {}

    package mutating func add(_ outcome: Outcome, costUnits cost: Int128) {
        outcomes += 1
        if outcome.success { successes += 1 }
        costUnits += cost
        if let latency = outcome.latencyMs { self.latency.add(latency) }
    }

    package mutating func merge(_ other: StepModelCounts) {
        outcomes += other.outcomes
        successes += other.successes
        costUnits += other.costUnits
        latency.merge(other.latency)
    }
}

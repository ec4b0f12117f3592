import RouteSimModel
import RouteSimStatistics
/// What one policy did for the requests of one category. Mergeable.
public struct CategoryCounts: Sendable, Equatable, Codable {
    public var requests = 0
    public var successes = 0
    public var overRouted = 0
    public var underRouted = 0
    public var review = 0
    /// Exact cost, and what over-routed requests cost beyond their oracle model, in `ExactSum.dollars()` units.
    public var costUnits: Int128 = 0
    public var overRoutingExcessUnits: Int128 = 0

    /// Adds one request of `costUnits`; `overExcessUnits` is what it cost beyond its oracle when
    /// it was over-routed, else nil.
    package mutating func add(costUnits: Int128, success: Bool, review: Bool, underRouted under: Bool, overExcessUnits: Int128?) {
        requests += 1
        self.costUnits += costUnits
        if success { successes += 1 }
        if review { self.review += 1 }
        if under { underRouted += 1 }
        if let overExcessUnits {
            overRouted += 1
            overRoutingExcessUnits += overExcessUnits
        }
    }

    package mutating func merge(_ other: CategoryCounts) {
        requests += other.requests
        successes += other.successes
        overRouted += other.overRouted
        underRouted += other.underRouted
        review += other.review
        costUnits += other.costUnits
        overRoutingExcessUnits += other.overRoutingExcessUnits
    }
}

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

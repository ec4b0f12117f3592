/// How long a request, and each of its steps, may take (docs/reports.md, "Latency budgets"):
/// read from an SLO file, applied as the replay counts requests into windows.
public struct LatencyBudget: Sendable, Equatable {
    /// The end-to-end budget, in ms.
    public var endToEndMs: Double?
    /// Per step name, its budget in ms (a share of the end-to-end budget already resolved).
    public var steps: [String: Double]

    public init(endToEndMs: Double?, steps: [String: Double]) {
        self.endToEndMs = endToEndMs
        self.steps = steps
    }
}

/// Requests whose latency is known, and how many of them stayed within their budget. Mergeable.
public struct BudgetCounts: Sendable, Equatable, Codable {
    public var checked = 0
    public var within = 0

    public init() {}

    package mutating func add(_ latency: Double?, budget: Double?) {
        guard let latency, let budget else { return }
        checked += 1
        if latency <= budget { within += 1 }
    }

    package mutating func merge(_ other: BudgetCounts) {
        checked += other.checked
        within += other.within
    }

    /// The share of checked requests over budget; nil when none was checked.
    public var overShare: Double? { checked > 0 ? Double(checked - within) / Double(checked) : nil }
}

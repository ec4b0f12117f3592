import RouteSimEngine
import RouteSimModel
import RouteSimStatistics

/// The docs/metrics.md figures for one policy, computed from its accumulated totals.
public struct PolicyMetrics: Sendable {
    public var name: String
    /// single, router, cascade, ensemble or oracle.
    public var kind: String
    public var requests: Int
    public var totalCostUSD: Double
    public var cpiUSD: Double
    /// Bootstrap 95% interval of the CPI.
    public var cpiCI95: ClosedRange<Double>?
    public var successRate: Double
    public var successCI95: ClosedRange<Double>?
    public var overRoutingRate: Double
    public var underRoutingRate: Double
    public var unsolvableRate: Double
    public var routingAccuracy: Double
    /// Share of final answers per model (catalog order), or under the policy's name for an ensemble.
    public var modelMix: [(model: String, share: Double)]
    public var escalationRate: Double
    /// 95% intervals of CPI and success over the mock's replicas (`--replicas`).
    public var cpiMockCI95: ClosedRange<Double>?
    public var successMockCI95: ClosedRange<Double>?
    /// Model calls the policy made, and how many of them failed.
    public var calls: Int
    public var failedCalls: Int
    /// Share of the policy's model calls that used mocked outcomes.
    public var mockedCallShare: Double
    public var reviewRate: Double
    public var latency: LatencySummary?
    /// What its calls to each self-hosted model cost and did on that model's fleet (docs/capacity.md).
    public var fleets: [FleetMetrics] = []
    /// With self-hosted fleets: cost per request if the log's traffic came `scale` times as fast.
    public var cpiByTraffic: [(scale: Double, cpiUSD: Double)] = []
    public var qualityGapRecovered: Double?
    public var savings: Savings?
    public var paybackMonths: Double?
    /// From the monthly-savings interval; the upper end is nil when savings may be ≤ 0 (never pays back).
    public var paybackMonthsCI95: (low: Double, high: Double?)?
    /// The month (fractional) cumulative savings cross the engineering cost under `--rollout`.
    public var paybackMonthsWithRollout: Double?
    /// Requests the baseline answered and this policy did not, and the reverse.
    public var lostToBaseline: Int
    public var wonOverBaseline: Int
    /// Per category (by name): where the policy succeeds, over- and under-routes, and at what cost.
    public var byCategory: [CategoryMetrics] = []
    /// With an SLO's latency budget: the end-to-end budget (nil when only steps have one) and the
    /// share of requests with a known latency that exceeded it.
    public var latencyBudget: (budgetMs: Double?, overShare: Double?)?
    /// Per step, for a log whose requests have steps (in order of first appearance).
    public var steps: [StepMetrics] = []
    /// Cost and success per time window, in time order.
    public var timeline: [TimelinePoint] = []
    /// Windows that missed an SLO target, when an SLO file was given.
    public var errorBudget: ErrorBudget?
    /// Why `paybackMonths` is null, when it is.
    public var paybackNote: String?

    package init(name: String, kind: String = "", totals: PolicyAccumulator, catalog: ModelCatalog, latencyCurve: Bool = true) {
        let n = Double(max(totals.requests, 1))
        self.name = name
        self.kind = kind
        lostToBaseline = totals.lostAgainstPaired
        wonOverBaseline = totals.wonAgainstPaired
        requests = totals.requests
        totalCostUSD = totals.cost.value
        cpiUSD = totals.cost.value / n
        successRate = Double(totals.successes) / n
        successCI95 = WilsonInterval.interval(successes: totals.successes, trials: totals.requests)
        overRoutingRate = Double(totals.overRouted) / n
        underRoutingRate = Double(totals.underRouted) / n
        unsolvableRate = Double(totals.unsolvable) / n
        routingAccuracy = Double(totals.requests - totals.overRouted - totals.underRouted - totals.unsolvable) / n
        modelMix = totals.answers.enumerated().compactMap { index, count in
            guard count > 0 else { return nil }
            return (index < catalog.count ? catalog.models[index].name : name, Double(count) / n)
        }
        escalationRate = Double(totals.escalated) / n
        calls = totals.calls
        failedCalls = totals.failedCalls
        mockedCallShare = totals.calls > 0 ? Double(totals.mockedCalls) / Double(totals.calls) : 0
        reviewRate = Double(totals.review) / n
        latency = LatencySummary(totals, curve: latencyCurve)
    }
}

/// Latency percentiles and mean over the requests whose every call recorded a latency.
public struct LatencySummary: Sendable, Equatable {
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var mean: Double
    /// How many requests had a latency (the rest lacked one in some outcome they used).
    public var requests: Int
    /// Whether the percentiles are exact: false when the policy had more latencies than a replay
    /// keeps one by one, and they come from a sketch, within 0.5% (docs/statistics.md).
    public var exact: Bool
    /// Latency at each percentile 0…100, from a latency sketch of every latency (for charts);
    /// empty when not asked for.
    public var cdf: [Double] = []

    package init?(_ totals: PolicyAccumulator, curve: Bool = true) {
        // From every latency, counted in a sketch, so the curve depends on the latencies and not
        // on their order (docs/statistics.md, "Latency sketches").
        var sketch = totals.latencySketch ?? LatencySketch()
        let exact = totals.latencySketch == nil
        self.exact = exact
        let fractions = [0.5, 0.95, 0.99]
        let percentiles = exact ? Quantiles(totals.latencies).values(at: fractions) : fractions.compactMap { sketch.quantile($0) }
        guard let percentiles, percentiles.count == 3 else { return nil }
        let (p50, p95, p99) = (percentiles[0], percentiles[1], percentiles[2])
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        requests = totals.latencyCount
        mean = totals.latencySum.value / Double(requests)
        guard curve else { return }
        if exact { for latency in totals.latencies { sketch.add(latency) } }
        cdf = (0...100).map { sketch.quantile(Double($0) / 100)! }
    }
}

/// A policy's savings against the baseline policy (docs/metrics.md).
public struct Savings: Sendable, Equatable {
    public var cpiUSD: Double
    public var pct: Double?
    public var monthlyUSD: Double?
    public var annualUSD: Double?
    /// Paired bootstrap 95% intervals of the same figures.
    public var cpiUSDCI95: ClosedRange<Double>?
    public var pctCI95: ClosedRange<Double>?
    public var monthlyUSDCI95: ClosedRange<Double>?
    public var annualUSDCI95: ClosedRange<Double>?
}

/// One time window of a policy's timeline.
public struct TimelinePoint: Sendable, Equatable {
    /// Window start, seconds since the epoch.
    public var start: Double
    public var requests: Int
    public var costUSD: Double
    public var successRate: Double
}

/// One category's figures for one policy.
public struct CategoryMetrics: Sendable, Equatable {
    public var category: String
    public var requests: Int
    public var successRate: Double
    public var overRoutingRate: Double
    public var underRoutingRate: Double
    public var reviewRate: Double
    public var costUSD: Double
    /// What over-routed requests cost beyond their oracle model.
    public var overRoutingExcessUSD: Double

    package init(category: String, counts: CategoryCounts) {
        let n = Double(max(counts.requests, 1)), unit = ExactSum.dollars().unitsPerOne
        self.category = category
        requests = counts.requests
        successRate = Double(counts.successes) / n
        overRoutingRate = Double(counts.overRouted) / n
        underRoutingRate = Double(counts.underRouted) / n
        reviewRate = Double(counts.review) / n
        costUSD = Double(counts.costUnits) / unit
        overRoutingExcessUSD = Double(counts.overRoutingExcessUnits) / unit
    }
}

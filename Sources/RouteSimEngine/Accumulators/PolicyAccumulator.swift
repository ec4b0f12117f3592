import RouteSimModel
import RouteSimStatistics
/// The mergeable running totals of one policy over the requests replayed so far.
public struct PolicyAccumulator: Sendable, Codable {
    public private(set) var requests = 0
    public private(set) var successes = 0
    public private(set) var overRouted = 0
    public private(set) var underRouted = 0
    public private(set) var unsolvable = 0
    public private(set) var escalated = 0
    public private(set) var review = 0
    /// Model calls made, and how many used mocked outcomes.
    public private(set) var calls = 0
    public private(set) var mockedCalls = 0
    public private(set) var failedCalls = 0
    public private(set) var cost = ExactSum.dollars()
    public private(set) var latencySum = ExactSum.milliseconds()
    /// Every request latency (8 bytes a request: the exact-quantile store of docs/metrics.md),
    /// while the policy has at most `latencyLimit` of them.
    public package(set) var latencies: [Double] = []
    /// Every latency, counted in a sketch instead, once the policy has more than `latencyLimit`
    /// (docs/statistics.md, "Latency sketches"); `latencies` is then empty.
    public private(set) var latencySketch: LatencySketch?
    /// The most latencies kept one by one; nil: every one (self-hosted fleets add their queueing
    /// to them at the end). Only merges fold them into the sketch, never `add`.
    package var latencyLimit: Int?
    /// Final answers per catalog model; the extra last slot counts an ensemble's combined answers.
    public private(set) var answers: [Int]
    /// Exact cost per bootstrap group (see `GroupBootstrap`), in the units of `cost`.
    public private(set) var groupCost: [Int128]
    /// Requests where the paired policy succeeded and this one failed, and the other way round
    /// (McNemar's discordant pairs).
    public private(set) var lostAgainstPaired = 0
    public private(set) var wonAgainstPaired = 0
    /// Counts per category, aligned with the owning `ReplayTotals.categoryNames`.
    public internal(set) var categories: [CategoryCounts] = []
    /// Counts per step, aligned with the owning `ReplayTotals.stepNames` (empty for a log without steps).
    public internal(set) var steps: [StepCounts] = []
    /// Requests checked against the end-to-end latency budget, when there is one.
    public private(set) var budget = BudgetCounts()
    /// Counts per time window (index = time / window length), when the replay keeps windows.
    public private(set) var windows: WindowSeries

    public init(modelCount: Int) {
        answers = Array(repeating: 0, count: modelCount + 1)
        groupCost = Array(repeating: 0, count: GroupBootstrap.groupCount)
        windows = WindowSeries(modelCount: modelCount)
    }

    /// Adds one request, classified against its oracle (docs/metrics.md), in bootstrap group `group`;
    /// `pairedSuccess` is whether the paired policy succeeded on it.
    package mutating func add(_ decision: Decision, oracleCost: Double?, group: Int, pairedSuccess: Bool?, window: Int?, category: Int?,
                              budgetMs: Double? = nil) {
        requests += 1
        budget.add(decision.latencyMs, budget: budgetMs)
        let units = cost.units(of: decision.costUSD)
        cost.add(units: units)
        groupCost[group] += units
        if let pairedSuccess, pairedSuccess != decision.success {
            if pairedSuccess { lostAgainstPaired += 1 } else { wonAgainstPaired += 1 }
        }
        if let latency = decision.latencyMs {
            latencies.append(latency)
            latencySum.add(latency)
        }
        answers[decision.answerModel ?? answers.count - 1] += 1
        if decision.success { successes += 1 }
        if decision.escalated { escalated += 1 }
        if decision.review { review += 1 }
        calls += decision.calls
        mockedCalls += decision.mockedCalls
        failedCalls += decision.failedCalls
        // A switch, not ==: across modules == is a call through Equatable's witness table.
        var over = false, under = false, right = false
        switch decision.routing(oracleCost: oracleCost) {
        case .right: right = true
        case .overRouted: over = true
        case .underRouted: under = true
        case .unsolvable: unsolvable += 1
        }
        if over { overRouted += 1 }
        if under { underRouted += 1 }
        if let window {
            windows.record(decision, costUnits: units, routedRight: right, budgetMs: budgetMs, window: window)
        }
        if let category {
            if category >= categories.count { categories.append(contentsOf: repeatElement(CategoryCounts(), count: category - categories.count + 1)) }
            // One mutation of the element: each `categories[category].x += …` checked the array's sharing.
            let excess = over ? oracleCost.map { units - cost.units(of: $0) } : nil
            categories[category].add(costUnits: units, success: decision.success, review: decision.review, underRouted: under,
                                     overExcessUnits: excess)
        }
    }

    /// Adds one run of a step; `name` indexes the owning `ReplayTotals.stepNames`.
    package mutating func addStep(_ step: StepDecision, name: Int, window: Int?, budgetMs: Double?) {
        if name >= steps.count { steps.append(contentsOf: repeatElement(StepCounts(modelCount: answers.count - 1), count: name - steps.count + 1)) }
        steps[name].add(step, costUnits: cost.units(of: step.decision.costUSD), window: window, budgetMs: budgetMs)
    }

    /// Adds step counts whose step i is this accumulator's step `mapping[i]`.
    package mutating func mergeSteps(_ other: [StepCounts], mapping: [Int], count: Int) {
        if steps.count < count { steps.append(contentsOf: repeatElement(StepCounts(modelCount: answers.count - 1), count: count - steps.count)) }
        for (index, counts) in other.enumerated() { steps[mapping[index]].merge(counts) }
    }

    /// Adds a self-hosted fleet's cost, spread over the policy's requests evenly: over the
    /// bootstrap groups by their requests (`groupRequests`), over categories and windows by theirs,
    /// each part exact (docs/capacity.md, "What a fleet costs a request").
    package mutating func addFleetCost(_ dollars: Double, groupRequests: [Int]) {
        let units = cost.units(of: dollars)
        cost.add(units: units)
        for (group, share) in Apportion.units(units, weights: groupRequests).enumerated() { groupCost[group] += share }
        let shares = Apportion.units(units, weights: categories.map(\.requests) + [requests - categories.reduce(0) { $0 + $1.requests }])
        for index in categories.indices { categories[index].costUnits += shares[index] }
        windows.addFleetCost(units)
    }

    /// Adds a self-hosted call's wait in its fleet's queue to its request's latency (the
    /// `latency`-th kept), and counts a request the wait pushed over the latency budget as over it,
    /// in its window too (docs/capacity.md).
    package mutating func addQueueWait(_ waitMs: Double, latency index: Int, window: Int?, budgetMs: Double?) {
        let before = latencies[index]
        latencies[index] += waitMs
        latencySum.add(latencies[index])
        latencySum.add(-before)
        guard let budgetMs, before <= budgetMs, latencies[index] > budgetMs else { return }
        budget.within -= 1
        if let window { windows.leaveBudget(window: window) }
    }

    /// The per-group costs in dollars, for the bootstrap.
    package var groupCostUSD: [Double] { groupCost.map { Double($0) / cost.unitsPerOne } }

    /// Requests with a latency, kept one by one or sketched.
    public var latencyCount: Int { latencies.count + (latencySketch?.count ?? 0) }

    /// Makes room for `count` more latencies at once (up to the limit), instead of doubling as they come.
    package mutating func reserve(_ count: Int) {
        guard latencySketch == nil else { return }
        latencies.reserveCapacity(latencies.count + min(count, max(0, (latencyLimit ?? .max) - latencies.count)))
    }

    /// Adds `other`'s latencies; past the limit (or when either side is sketched), every latency
    /// goes into the sketch. The result depends on the latencies alone, not on the merges' order.
    private mutating func mergeLatencies(_ other: PolicyAccumulator) {
        latencies.append(contentsOf: other.latencies)
        guard other.latencySketch != nil || latencySketch != nil || latencies.count > (latencyLimit ?? .max) else { return }
        // Counted in place: the sketch is not copied at each merge.
        if latencySketch == nil { latencySketch = LatencySketch() }
        if let theirs = other.latencySketch { latencySketch!.merge(theirs) }
        for latency in latencies { latencySketch!.add(latency) }
        latencies = []
    }

    /// Adds counts whose category i is this accumulator's category `mapping[i]`.
    package mutating func mergeCategories(_ other: [CategoryCounts], mapping: [Int], count: Int) {
        if categories.count < count { categories.append(contentsOf: repeatElement(CategoryCounts(), count: count - categories.count)) }
        for (index, counts) in other.enumerated() { categories[mapping[index]].merge(counts) }
    }

    /// Puts the category and step counts in a new order: `categories[i]` becomes the one at
    /// `categories[i]` before (counts a policy never reached stay zero).
    package mutating func reorder(categories categoryOrder: [Int], steps stepOrder: [Int]) {
        let (oldCategories, oldSteps) = (categories, steps)
        categories = categoryOrder.map { $0 < oldCategories.count ? oldCategories[$0] : CategoryCounts() }
        steps = stepOrder.map { $0 < oldSteps.count ? oldSteps[$0] : StepCounts(modelCount: answers.count - 1) }
    }

    public mutating func merge(_ other: PolicyAccumulator) {
        requests += other.requests
        successes += other.successes
        overRouted += other.overRouted
        underRouted += other.underRouted
        unsolvable += other.unsolvable
        escalated += other.escalated
        review += other.review
        calls += other.calls
        mockedCalls += other.mockedCalls
        failedCalls += other.failedCalls
        cost.merge(other.cost)
        budget.merge(other.budget)
        latencySum.merge(other.latencySum)
        mergeLatencies(other)
        for index in answers.indices { answers[index] += other.answers[index] }
        for group in groupCost.indices { groupCost[group] += other.groupCost[group] }
        windows.merge(other.windows)
        lostAgainstPaired += other.lostAgainstPaired
        wonAgainstPaired += other.wonAgainstPaired
    }
}

import RouteSimModel
import RouteSimStatistics
/// Everything one replay accumulates: per-policy totals, per-model outcome counts and the time span.
public struct ReplayTotals: Sendable, Codable {
    public var policies: [PolicyAccumulator]
    /// Per catalog model: requests with a recorded outcome, and how many of those succeeded.
    public var modelOutcomes: [Int]
    public var modelSuccesses: [Int]
    /// Requests per bootstrap group.
    public var groupRequests = [Int](repeating: 0, count: GroupBootstrap.groupCount)
    /// The categories seen, in order of first appearance until `canonicalize()` orders them by
    /// name; policies' category counts follow this order.
    public var categoryNames: [String] = []
    /// The step names seen, in order of first appearance until `canonicalize()` orders them (see
    /// there); policies' step counts and `stepModels` follow this order.
    public var stepNames: [String] = []
    /// Per step name, the first place among its record's steps where any record had it.
    public var stepPositions: [Int] = []
    /// `stepModels[step][model]`: each model's recorded outcomes on each step (the complexity matrix).
    public var stepModels: [[StepModelCounts]] = []
    /// A sweep's totals, when the replay sweeps a parameter.
    public var sweep: SweepTotals?
    public var accepted = 0
    /// What reading logs of calls assumed or set aside (docs/log-formats.md, "Calls, retries and duplicates").
    public var logNotes = LogNotes()
    /// What makes a cost figure doubtful (docs/metrics.md, "Cost checks").
    public var lint: CostLint
    /// Per policy × self-hosted model (docs/capacity.md), every call in file order: 16 bytes a call.
    package var capacityCalls: [[DeploymentSimulation.Call]] = []
    /// Per slot of `capacityCalls`: what its calls would cost on the model's API alternative.
    package var capacityAPICost: [ExactSum] = []
    public var firstTimestamp = Double.infinity
    public var lastTimestamp = -Double.infinity

    public init(policyCount: Int, modelCount: Int) {
        policies = Array(repeating: PolicyAccumulator(modelCount: modelCount), count: policyCount)
        modelOutcomes = Array(repeating: 0, count: modelCount)
        modelSuccesses = Array(repeating: 0, count: modelCount)
        lint = CostLint(modelCount: modelCount)
    }

    /// Adds one accepted record: its time, bootstrap group, each model's outcome state (0 none,
    /// 1 failed, 2 succeeded), its oracle's cost (nil when unsolvable) and one decision per policy;
    /// `paired` is the policy whose successes the others are paired with (McNemar), if any.
    package mutating func add(timestamp: Double, group: Int, outcomeStates: UnsafeBufferPointer<UInt8>, oracleCost: Double?,
                      decisions: UnsafeBufferPointer<Decision>, paired: Int?, window: Int? = nil, category: Int? = nil, budgetMs: Double? = nil) {
        accepted += 1
        groupRequests[group] += 1
        firstTimestamp = min(firstTimestamp, timestamp)
        lastTimestamp = max(lastTimestamp, timestamp)
        for (index, state) in zip(modelOutcomes.indices, outcomeStates) where state > 0 {
            modelOutcomes[index] += 1
            if state == 2 { modelSuccesses[index] += 1 }
        }
        let pairedSuccess = paired.map { decisions[$0].success }
        for (index, decision) in zip(policies.indices, decisions) {
            policies[index].add(decision, oracleCost: oracleCost, group: group, pairedSuccess: pairedSuccess, window: window,
                                category: category, budgetMs: budgetMs)
        }
    }

    /// Adds what a policy did on one step of an accepted record; `name` indexes `stepNames`.
    package mutating func add(_ step: StepDecision, name: Int, window: Int?, budgetMs: Double?) {
        policies[step.policy].addStep(step, name: name, window: window, budgetMs: budgetMs)
    }

    /// Adds one recorded outcome of a first-round step; `name` indexes `stepNames`.
    package mutating func addStepOutcome(_ outcome: Outcome, cost: Double, name: Int, model: Int) {
        padStepModels(to: name + 1)
        stepModels[name][model].add(outcome, costUnits: ExactSum.dollars().units(of: cost))
    }

    public mutating func merge(_ other: ReplayTotals) {
        accepted += other.accepted
        logNotes.add(other.logNotes)
        lint.merge(other.lint)
        if capacityAPICost.isEmpty {
            capacityAPICost = other.capacityAPICost
        } else {
            for index in other.capacityAPICost.indices { capacityAPICost[index].add(units: other.capacityAPICost[index].units) }
        }
        if capacityCalls.isEmpty {
            capacityCalls = other.capacityCalls
        } else if !other.capacityCalls.isEmpty {
            // Their latency positions follow this side's latencies, about to be joined before theirs.
            let perPolicy = other.capacityCalls.count / policies.count
            for index in other.capacityCalls.indices {
                let offset = UInt32(policies[index / perPolicy].latencies.count)
                for var call in other.capacityCalls[index] {
                    if call.latency != .max { call.latency += offset }
                    capacityCalls[index].append(call)
                }
            }
        }
        if let theirs = other.sweep {
            if sweep == nil { sweep = theirs } else { sweep?.merge(theirs) }
        }
        for group in groupRequests.indices { groupRequests[group] += other.groupRequests[group] }
        firstTimestamp = min(firstTimestamp, other.firstTimestamp)
        lastTimestamp = max(lastTimestamp, other.lastTimestamp)
        for index in modelOutcomes.indices {
            modelOutcomes[index] += other.modelOutcomes[index]
            modelSuccesses[index] += other.modelSuccesses[index]
        }
        let mapping = Self.merge(other.categoryNames, into: &categoryNames)
        let stepMapping = Self.merge(other.stepNames, into: &stepNames)
        for (index, position) in other.stepPositions.enumerated() {
            if stepMapping[index] == stepPositions.count { stepPositions.append(position) }
            else { stepPositions[stepMapping[index]] = min(stepPositions[stepMapping[index]], position) }
        }
        padStepModels(to: stepNames.count)
        for (index, cells) in other.stepModels.enumerated() {
            for model in cells.indices { stepModels[stepMapping[index]][model].merge(cells[model]) }
        }
        for index in policies.indices {
            policies[index].merge(other.policies[index])
            policies[index].mergeCategories(other.policies[index].categories, mapping: mapping, count: categoryNames.count)
            policies[index].mergeSteps(other.policies[index].steps, mapping: stepMapping, count: stepNames.count)
        }
    }

    /// Puts categories in order of name, and steps in order of the first place any record had
    /// them (then name): an order that follows from the records and not from the order they were
    /// read in, so that a log read in any order, or in shards, gives the same outputs
    /// (docs/partials.md). Where ties in apportioning a fleet's cost fall depends on it too.
    package mutating func canonicalize() {
        let categoryOrder = categoryNames.indices.sorted { categoryNames[$0] < categoryNames[$1] }
        let stepOrder = stepNames.indices.sorted { (stepPositions[$0], stepNames[$0]) < (stepPositions[$1], stepNames[$1]) }
        categoryNames = categoryOrder.map { categoryNames[$0] }
        stepNames = stepOrder.map { stepNames[$0] }
        stepPositions = stepOrder.map { stepPositions[$0] }
        padStepModels(to: stepNames.count)
        stepModels = stepOrder.map { stepModels[$0] }
        for index in policies.indices { policies[index].reorder(categories: categoryOrder, steps: stepOrder) }
    }

    /// Gives `stepModels` a row (of empty cells) for each of the first `count` step names.
    private mutating func padStepModels(to count: Int) {
        while stepModels.count < count { stepModels.append(Array(repeating: StepModelCounts(), count: modelOutcomes.count)) }
    }

    /// Appends the names of `other` not yet in `names`; returns where each of `other` now is.
    private static func merge(_ other: [String], into names: inout [String]) -> [Int] {
        var position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        return other.map { name -> Int in
            if let index = position[name] { return index }
            names.append(name)
            position[name] = names.count - 1
            return names.count - 1
        }
    }
}

import RouteSimModel
import RouteSimStatistics
/// What replaying one chunk produced, kept in line order until it is merged in sequence.
package struct ChunkResult {
    /// An accepted record, before the run-wide duplicate-id check.
    package struct Entry {
        package var idHash: UInt64
        /// Index into `categoryNames`, or −1 without a category.
        package var category: Int32
        package var line: Int
        package var timestamp: Double
        package var oracleCost: Double?
        /// Where its text is: a byte range of the chunk, or (for built records) an index.
        package var rawStart: Int
        package var rawLength: Int
        /// Its range of `stepDecisions`, and of `stepOutcomes`.
        package var steps: Range<Int> = 0..<0
        package var stepOutcomes: Range<Int> = 0..<0
    }

    package var entries: [Entry] = []
    /// `policyCount` decisions per entry.
    package var decisions: [Decision] = []
    /// Per entry with steps, what each policy did on each step (`Entry.steps` says which).
    package var stepDecisions: [StepDecision] = []
    /// `modelCount` outcome states per entry: 0 none, 1 failed, 2 succeeded.
    package var outcomeStates: [UInt8] = []
    package var problems: [RecordProblem] = []
    /// The chunk's first record of another shard than the replay's, which stops the replay.
    package var outsideShard: RecordProblem?
    /// The chunk's categories, in order of first appearance.
    package var categoryNames: [String] = []
    /// The chunk's step names, in order of first appearance (`stepDecisions` name them by `stepName`).
    package var stepNames: [String] = []
    /// Per step name, the first place among its record's steps where any record had it.
    package var stepPositions: [Int] = []
    /// Per step decision, the index of its step's name in `stepNames`.
    package var stepName: [Int32] = []
    /// Every recorded outcome of every first-round step: its step's name (in `stepNames`), the
    /// model, the outcome and its call cost.
    package var stepOutcomes: [(name: Int32, model: Int32, outcome: Outcome, cost: Double)] = []
    /// Cost-check findings, each with the entry it belongs to (counted only if the entry is admitted).
    package var findings: [(entry: Int, kind: CostLint.Kind, problem: RecordProblem)] = []
    /// Per model, whether every call counted the same tokens.
    package var sameness: [CostLint.Sameness] = []
    /// Each call of a policy to a self-hosted model: its entry, its slot (policy × deployments +
    /// deployment) and the call (docs/capacity.md).
    package var capacity: [(entry: Int, slot: Int, call: DeploymentSimulation.Call, apiCost: Double)] = []
    /// Slots of `capacity`: policies × self-hosted models (0 without any).
    package var capacitySlots = 0
    /// With a sweep: each entry's runs of settings that decide alike.
    package var sweepPieces: [(entry: Int, range: Range<Int>, decision: Decision)] = []

    /// The totals of the entries `admitted` marks (those that passed the run-wide id check).
    package func totals(admitted: [Bool], policyCount: Int, modelCount: Int, paired: Int?, windowSeconds: Double?,
                sweep: SweepPlan?, budget: LatencyBudget? = nil) -> ReplayTotals {
        var totals = ReplayTotals(policyCount: policyCount, modelCount: modelCount)
        totals.categoryNames = categoryNames
        if !sameness.isEmpty { totals.lint.sameness = sameness }
        if capacitySlots > 0 {
            totals.capacityCalls = Array(repeating: [], count: capacitySlots)
            totals.capacityAPICost = Array(repeating: ExactSum.dollars(), count: capacitySlots)
        }
        var nextCapacity = 0
        if let sweep {
            var sweepTotals = SweepTotals(settings: sweep.values.count, modelCount: modelCount)
            let plan = CallPlan(sweep.variants[0].kind)
            for piece in sweepPieces where admitted[piece.entry] {
                sweepTotals.add(piece.range, piece.decision, plan: plan)
            }
            totals.sweep = sweepTotals
        }
        totals.stepNames = stepNames
        totals.stepPositions = stepPositions
        let stepBudgets = stepNames.map { budget?.steps[$0] }
        for (index, entry) in entries.enumerated() {
            // The entry's self-hosted calls, each told where its request's latency will be.
            while nextCapacity < capacity.count, capacity[nextCapacity].entry < index { nextCapacity += 1 }
            while nextCapacity < capacity.count, capacity[nextCapacity].entry == index {
                var (slot, call) = (capacity[nextCapacity].slot, capacity[nextCapacity].call)
                let policy = slot / (capacitySlots / policyCount)
                if admitted[index] {
                    if decisions[index * policyCount + policy].latencyMs != nil { call.latency = UInt32(totals.policies[policy].latencies.count) }
                    totals.capacityCalls[slot].append(call)
                    // Zero (no API alternative) adds nothing to the exact sum.
                    if capacity[nextCapacity].apiCost != 0 { totals.capacityAPICost[slot].add(capacity[nextCapacity].apiCost) }
                }
                nextCapacity += 1
            }
            guard admitted[index] else { continue }
            let window = windowSeconds.map { Int((entry.timestamp / $0).rounded(.down)) }
            for position in entry.steps {
                let name = Int(stepName[position])
                totals.add(stepDecisions[position], name: name, window: window, budgetMs: stepBudgets[name])
            }
            for fact in stepOutcomes[entry.stepOutcomes] {
                totals.addStepOutcome(fact.outcome, cost: fact.cost, name: Int(fact.name), model: Int(fact.model))
            }
            // Read through buffers: a slice of each array per entry retained and released it.
            outcomeStates.withUnsafeBufferPointer { states in
                decisions.withUnsafeBufferPointer { decisions in
                    totals.add(timestamp: entry.timestamp, group: GroupBootstrap.group(ofHash: entry.idHash),
                               outcomeStates: UnsafeBufferPointer(rebasing: states[(index * modelCount)..<((index + 1) * modelCount)]),
                               oracleCost: entry.oracleCost,
                               decisions: UnsafeBufferPointer(rebasing: decisions[(index * policyCount)..<((index + 1) * policyCount)]),
                               paired: paired, window: window, category: entry.category < 0 ? nil : Int(entry.category),
                               budgetMs: budget?.endToEndMs)
                }
            }
        }
        return totals
    }
}

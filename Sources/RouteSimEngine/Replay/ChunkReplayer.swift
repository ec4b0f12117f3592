import RouteSimModel
import RouteSimStatistics
import Foundation

/// Parses and replays chunks on one thread, reusing its parser and scratch record.
package final class ChunkReplayer: @unchecked Sendable {
    private let catalog: ModelCatalog
    private let policies: [Policy]
    private let sweep: SweepPlan?
    private let mockDrawer: MockDrawer?
    private let decoder: JSONRecordDecoder
    private let lint: CostLintCheck
    /// Each catalog model's self-hosted deployment (its position among them) and hosting, or nil.
    private let deployment: [(position: Int, hosting: SelfHosting)?]
    private let deployments: Int
    /// Which models each policy's decisions call, for the fleets (this worker's own copy).
    private let callPlans: [CallPlan]
    /// What the worker reuses from record to record. A chunk's replay takes it out and works on
    /// it in place: a stored property of the worker was copied per record, and each access to
    /// one was checked at run time (docs/performance.md).
    private var scratch: Scratch?

    private struct Scratch {
        var record: Record
        var prices: RecordPrices
        /// The current record's step-calls, traced when the catalog has self-hosted models.
        var trace: [StepCall]?
        /// The current record's cost-check findings.
        var findings: [(CostLint.Kind, RecordProblem)] = []
        /// The current chunk's categories and step names → their numbers in `ChunkResult`.
        var categoryNumbers = ChunkNames()
        var stepNumbers = ChunkNames()
    }

    /// The shard every record must belong to, when the replay is one shard of a log.
    private let shard: Shard?

    package init(catalog: ModelCatalog, policies: [Policy], sweep: SweepPlan? = nil, mock: (spec: MockSpec, seed: UInt64)? = nil,
                 lint: CostLintCheck? = nil, shard: Shard? = nil) {
        self.shard = shard
        self.lint = lint ?? CostLintCheck(catalog: catalog, tolerance: 0.05)
        var position = 0
        deployment = catalog.models.map { model in
            guard let hosting = model.selfHosted else { return nil }
            defer { position += 1 }
            return (position, hosting)
        }
        deployments = position
        callPlans = policies.map { CallPlan($0.kind) }
        self.catalog = catalog
        // Each worker decides with policies of its own (docs/performance.md, "Policies per thread").
        self.policies = policies.map { $0.isolated() }
        self.sweep = sweep?.isolated()
        mockDrawer = mock.map { MockDrawer(spec: $0.spec, seed: $0.seed) }
        decoder = JSONRecordDecoder(catalog: catalog, featureKeys: Self.featureKeys(policies + (sweep?.variants ?? [])))
        scratch = Scratch(record: Record(id: "", inputTokens: 0, outcomes: Array(repeating: nil, count: catalog.count)),
                          prices: RecordPrices(modelCount: catalog.count), trace: position > 0 ? [] : nil)
    }

    /// How many entries, decisions, step decisions, step outcomes and self-hosted calls the last
    /// chunk held: the next one reserves room for as many and an eighth more, rather than growing
    /// its lists from empty by doubling, each doubling a copy into memory first touched then
    /// (docs/performance.md).
    private var seen = (entries: 0, decisions: 0, stepDecisions: 0, stepOutcomes: 0, capacityCalls: 0)

    package func replay(_ chunk: LogChunk) -> ChunkResult {
        var result = ChunkResult()
        result.sameness = Array(repeating: CostLint.Sameness(), count: catalog.count)
        result.capacitySlots = deployments * policies.count
        func room(_ count: Int) -> Int { count + count / 8 }
        result.entries.reserveCapacity(room(seen.entries))
        result.outcomeStates.reserveCapacity(room(seen.entries) * catalog.count)
        result.decisions.reserveCapacity(room(seen.decisions))
        result.stepDecisions.reserveCapacity(room(seen.stepDecisions))
        result.stepName.reserveCapacity(room(seen.stepDecisions))
        result.stepOutcomes.reserveCapacity(room(seen.stepOutcomes))
        result.capacity.reserveCapacity(room(seen.capacityCalls))
        var scratch = self.scratch!
        self.scratch = nil
        defer { self.scratch = scratch }
        scratch.categoryNumbers.removeAll()
        scratch.stepNumbers.removeAll()
        // The file's name is taken once for the chunk and lent to each line. Taken per line, it
        // was retained and released per record, and every thread's chunks share that one
        // string: its count went back and forth between the cores (docs/performance.md).
        let file = chunk.file
        switch chunk.content {
        case let .jsonLines(bytes, length):
            bytes.withUnsafeBytes { buffer in
                LogChunk.forEachLine(in: buffer, length: length, firstLine: chunk.firstLine) { text, line, start in
                    if let origin = chunk.origins?[line - chunk.firstLine] {
                        replayLine(text, capacity: buffer.count - start, line: line, start: start, file: origin.file,
                                   scratch: &scratch, into: &result, origin: origin.line)
                    } else {
                        replayLine(text, capacity: buffer.count - start, line: line, start: start, file: file,
                                   scratch: &scratch, into: &result, origin: nil)
                    }
                }
            }
        case let .records(records, raw, problems):
            result.problems = problems
            for (index, built) in records.enumerated() {
                scratch.record = built
                evaluate(file: file, rawStart: index, rawLength: 0, raw: { raw[index] }, scratch: &scratch, into: &result)
            }
        }
        seen = (result.entries.count, result.decisions.count, result.stepDecisions.count, result.stepOutcomes.count, result.capacity.count)
        return result
    }

    /// Replays one line; `origin` is its line in the file it first came from, when that is not `line`.
    private func replayLine(_ text: UnsafeRawBufferPointer, capacity: Int, line: Int, start: Int, file: String,
                            scratch: inout Scratch, into result: inout ChunkResult, origin: Int?) {
        scratch.record.line = line
        do {
            try decoder.decode(text, capacity: capacity, into: &scratch.record)
        } catch {
            result.problems.append(RecordProblem(file: file, line: origin ?? line, field: error.field, reason: error.reason,
                                                 raw: String(decoding: text, as: UTF8.self)))
            return
        }
        evaluate(file: file, rawStart: start, rawLength: text.count, raw: { String(decoding: text, as: UTF8.self) },
                 scratch: &scratch, into: &result, origin: origin)
    }

    private func evaluate(file: String, rawStart: Int, rawLength: Int, raw: () -> String, scratch: inout Scratch,
                          into result: inout ChunkResult, origin: Int? = nil) {
        let line = origin ?? scratch.record.line
        if let shard, case let belongs = Shard.of(id: scratch.record.id, count: shard.count), belongs != shard.index {
            if result.outsideShard == nil {
                result.outsideShard = RecordProblem(
                    file: file, line: line, field: "id",
                    reason: "'\(scratch.record.id)' belongs to shard \(belongs)/\(shard.count), not \(shard.description): a shard holds the records whose CRC-32 of the id, modulo the number of shards, is its number (docs/partials.md)",
                    raw: raw())
            }
            return
        }
        mockDrawer?.fill(&scratch.record)
        func reject(_ field: String, _ reason: String) {
            result.problems.append(RecordProblem(file: file, line: line, field: field, reason: reason, raw: raw()))
        }
        do {
            try scratch.prices.update(for: scratch.record, catalog: catalog)
        } catch {
            return reject(error.field, error.reason)
        }
        // With self-hosted models, every step-call is traced for their fleets.
        if deployments > 0 { scratch.trace?.removeAll(keepingCapacity: true) }
        let mark = result.decisions.count
        let stepMark = result.stepDecisions.count
        let failure = Policy.decideAll(policies, scratch.record, prices: scratch.prices, catalog: catalog, into: &result.decisions,
                                       steps: &result.stepDecisions, trace: &scratch.trace)
        if let (index, error) = failure {
            result.decisions.removeSubrange(mark...)
            result.stepDecisions.removeSubrange(stepMark...)
            let policy = policies[index].name
            return reject(error.field(catalog), error.reason(catalog, policy: policy))
        }
        if let sweep {
            let (entry, pieceMark) = (result.entries.count, result.sweepPieces.count)
            do {
                try sweep.pieces(scratch.record, prices: scratch.prices, catalog: catalog) { result.sweepPieces.append((entry, $0, $1)) }
            } catch {
                result.decisions.removeSubrange(mark...)
                result.stepDecisions.removeSubrange(stepMark...)
                result.sweepPieces.removeSubrange(pieceMark...)
                return reject(error.missing.field(catalog), error.missing.reason(catalog, policy: error.policy))
            }
        }
        if deployments > 0 { collectCapacity(scratch.record, trace: scratch.trace, decisions: mark, into: &result) }
        accept(scratch.record, scratch.prices, file: file, line: line, rawStart: rawStart, rawLength: rawLength, steps: stepMark,
               findings: &scratch.findings, categories: &scratch.categoryNumbers, stepNames: &scratch.stepNumbers, into: &result)
    }

    /// Keeps a record every policy decided: its entry, step names and outcomes, outcome states and
    /// cost-check findings. (Its arguments are the fields of the worker's `Scratch`, borrowed or in place.)
    private func accept(_ record: Record, _ prices: RecordPrices, file: String, line: Int, rawStart: Int, rawLength: Int,
                        steps stepMark: Int, findings: inout [(CostLint.Kind, RecordProblem)], categories: inout ChunkNames,
                        stepNames: inout ChunkNames, into result: inout ChunkResult) {
        result.entries.append(ChunkResult.Entry(
            idHash: RecordID.hash(record.id), category: category(of: record, numbers: &categories, in: &result),
            line: record.line, timestamp: record.timestamp,
            oracleCost: record.steps.isEmpty ? prices.oracle.map { prices.callCost[$0] } : Self.stepsOracleCost(record, prices),
            rawStart: rawStart, rawLength: rawLength, steps: stepMark..<result.stepDecisions.count))
        // Each step's name is numbered once, at its first use: every policy's decision on the
        // step shares the number (found per decision, each lookup retained and released the name).
        let outcomeMark = result.stepOutcomes.count
        if !record.steps.isEmpty {
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: record.steps.count) { numbers in
                numbers.initialize(repeating: -1)
                func number(_ position: Int) -> Int32 {
                    if numbers[position] < 0 { numbers[position] = stepName(record.steps[position].name, at: position, numbers: &stepNames, in: &result) }
                    return numbers[position]
                }
                for entry in stepMark..<result.stepDecisions.count { result.stepName.append(number(result.stepDecisions[entry].step)) }
                for index in record.steps.indices where record.steps[index].round == 1 {
                    let name = number(index)
                    for (model, outcome) in record.steps[index].outcomes.enumerated() {
                        guard let outcome else { continue }
                        result.stepOutcomes.append((name, Int32(model), outcome, prices.steps[index].callCost[model]))
                    }
                }
            }
        }
        result.entries[result.entries.count - 1].stepOutcomes = outcomeMark..<result.stepOutcomes.count
        for outcome in record.outcomes {
            result.outcomeStates.append(outcome.map { $0.success ? 2 : 1 } ?? 0)
        }
        findings.removeAll(keepingCapacity: true)
        lint.check(record, file: file, line: line, into: &findings, sameness: &result.sameness)
        for (kind, finding) in findings { result.findings.append((result.entries.count - 1, kind, finding)) }
    }

    /// Each policy's calls to self-hosted models, with their service times, for the fleet
    /// simulation after the pass (docs/capacity.md). Every call arrives at the request's time.
    private func collectCapacity(_ record: Record, trace: [StepCall]?, decisions mark: Int, into result: inout ChunkResult) {
        /// One call of `policy` to `model`, at the tokens of the record or step whose outcomes and counts are given.
        func add(_ policy: Int, _ model: Int, _ outcomes: [Outcome?], inputTokens: Int, outputTokens: Int?) {
            guard let (position, hosting) = deployment[model] else { return }
            let outcome = outcomes[model]
            let input = outcome?.input?.tokens ?? inputTokens, output = outcome?.outputTokens ?? outputTokens ?? 0
            result.capacity.append((result.entries.count, policy * deployments + position,
                                    DeploymentSimulation.Call(arrival: record.timestamp, service: hosting.serviceSeconds(inputTokens: input, outputTokens: output)),
                                    hosting.apiCost(inputTokens: input, outputTokens: output) ?? 0))
        }
        if !record.steps.isEmpty {
            // Each step-call at its step's tokens (a critic loop's later rounds at theirs).
            for call in trace ?? [] {
                let step = record.steps[call.step]
                for model in call.models { add(call.policy, model, step.outcomes, inputTokens: step.inputTokens, outputTokens: step.outputTokens) }
            }
            return
        }
        callPlans.withUnsafeBufferPointer { plans in
            for index in plans.indices {
                plans[index].forEach(result.decisions[mark + index], record: record) { model in
                    add(index, model, record.outcomes, inputTokens: record.inputTokens, outputTokens: record.outputTokens)
                }
            }
        }
    }

    /// A request with steps is solvable when each of its steps is; its oracle pays each step's
    /// cheapest successful model (docs/metrics.md, "Steps").
    private static func stepsOracleCost(_ record: Record, _ prices: RecordPrices) -> Double? {
        var total = 0.0
        for index in record.steps.indices where record.steps[index].round == 1 {
            guard let oracle = prices.steps[index].oracle else { return nil }
            total += prices.steps[index].callCost[oracle]
        }
        return total
    }

    /// The number of the step name `name`, seen at `position` among its record's steps.
    private func stepName(_ name: String, at position: Int, numbers: inout ChunkNames, in result: inout ChunkResult) -> Int32 {
        let number = numbers.number(of: name, at: position, in: &result.stepNames)
        if Int(number) == result.stepPositions.count {
            result.stepPositions.append(position)
        } else if position < result.stepPositions[Int(number)] {
            result.stepPositions[Int(number)] = position
        }
        return number
    }

    private func category(of record: Record, numbers: inout ChunkNames, in result: inout ChunkResult) -> Int32 {
        guard let name = record.category else { return -1 }
        return numbers.number(of: name, in: &result.categoryNames)
    }

    /// The feature names any rule of any policy tests.
    package static func featureKeys(_ policies: [Policy]) -> Set<String> {
        var keys: Set<String> = []
        for policy in policies {
            guard case let .router(router) = policy.kind else { continue }
            for rule in router.rules {
                for condition in rule.conditions {
                    if case let .feature(key) = condition.subject { keys.insert(key) }
                }
            }
        }
        return keys
    }
}

/// Why a policy could not decide a record.
package enum MissingInput: Error, Equatable {
    /// It needs this model's outcome, which the record lacks.
    case outcome(model: Int)
    /// A recorded-router policy with no `default` met a record with no `router` prediction.
    case routerPrediction
    /// A pipeline routes a step this record lacks (and no mock supplies it).
    case step(String)
    /// A critic loop needs round `round` of `step`, which neither the log nor a mock gives.
    case round(step: String, round: Int)
    /// A pipeline met a record without steps.
    case noSteps
    /// A `recorded` policy met a record that does not say which call(s) production made: no
    /// recorded calls, no `served_by`, and outcomes of `models` models (or `served_by` naming `name`, no catalog model).
    case servedCalls(models: Int, name: String?)
    /// It needs this model's outcome on step `index` (named `step`), which the record lacks.
    case stepOutcome(index: Int, step: String, model: Int)

    /// The record field the problem concerns.
    package func field(_ catalog: ModelCatalog) -> String {
        switch self {
        case let .outcome(model): return "outcomes.\(catalog.models[model].name)"
        case .routerPrediction: return "router"
        case .step, .round, .noSteps: return "steps"
        case .servedCalls: return "served_by"
        case let .stepOutcome(index, _, model): return "steps[\(index)].outcomes.\(catalog.models[model].name)"
        }
    }

    /// What is missing, for the reader.
    package func reason(_ catalog: ModelCatalog, policy: String) -> String {
        switch self {
        case let .outcome(model):
            let name = catalog.models[model].name
            return "policy '\(policy)' needs model '\(name)', and this record has no outcome for it"
        case .routerPrediction:
            return "policy '\(policy)' follows the recorded router, and this record has no router prediction (give the policy a default: model)"
        case let .step(name):
            return "policy '\(policy)' routes step '\(name)', and this record has no such step (give a mock with steps: \(name), or remove the step from the policy)"
        case let .round(step, round):
            return "policy '\(policy)' needs round \(round) of step '\(step)' for its critic loop, and the record has fewer (give a mock with steps: \(step) to draw later rounds)"
        case .noSteps:
            return "policy '\(policy)' is a pipeline, and this record has no steps (see docs/log-formats.md, Steps)"
        case let .servedCalls(_, name?):
            return "policy '\(policy)' replays what production did, and served_by names '\(name)', which is no model of the catalog"
        case let .servedCalls(models, nil):
            return "policy '\(policy)' replays what production did, and this record does not say which model served it: no served_by, and outcomes of \(models) models (give served_by, or use a log of calls: see docs/policies.md, What production did)"
        case let .stepOutcome(_, step, model):
            return "policy '\(policy)' needs model '\(catalog.models[model].name)' on step '\(step)', and this record has no outcome for it there (give a mock with steps: \(step))"
        }
    }
}

extension Policy {
    /// Replays one record through every policy, appending one decision each; the first that cannot
    /// decide stops it, with its index. (Policies are borrowed through a buffer, not copied per
    /// record; the loop lives beside `decide` so that the compiler sees both at once.)
    package static func decideAll(_ policies: [Policy], _ record: Record, prices: RecordPrices, catalog: ModelCatalog,
                                  into decisions: inout [Decision], steps: inout [StepDecision],
                                  trace: inout [StepCall]?) -> (Int, MissingInput)? {
        policies.withUnsafeBufferPointer { policies in
            if record.steps.isEmpty {
                for index in policies.indices {
                    do throws(MissingInput) {
                        decisions.append(try decideOne(policies[index].kind, policies[index].overhead, record, prices, catalog))
                    } catch {
                        return (index, error)
                    }
                }
                return nil
            }
            // The request as its step-calls see it, made once for all policies.
            var view = stepView(record)
            for index in policies.indices {
                do throws(MissingInput) {
                    decisions.append(try decideSteps(policies[index].kind, policies[index].overhead, record, view: &view, prices: prices,
                                                     catalog: catalog, policy: index, into: &steps, trace: &trace))
                } catch {
                    return (index, error)
                }
            }
            return nil
        }
    }

    /// Replays one record through this policy (docs/policies.md).
    package func decide(_ record: Record, prices: RecordPrices, catalog: ModelCatalog) throws(MissingInput) -> Decision {
        if !record.steps.isEmpty {
            var steps: [StepDecision] = [], trace: [StepCall]? = nil, view = Self.stepView(record)
            return try Self.decideSteps(kind, overhead, record, view: &view, prices: prices, catalog: catalog, policy: 0, into: &steps,
                                        trace: &trace)
        }
        return try Self.decideOne(kind, overhead, record, prices, catalog)
    }

    /// A one-call record's decision by `kind`, with the policy's overhead and any review cost.
    /// (Static, given the policy's parts: `decideAll` called as a method on a policy in its
    /// buffer copied the whole policy first, its name and rules retained and released.)
    @inline(__always)
    private static func decideOne(_ kind: Kind, _ overhead: CallOverhead, _ record: Record, _ prices: RecordPrices,
                                  _ catalog: ModelCatalog) throws(MissingInput) -> Decision {
        var decision = try decideCall(kind, record, prices, catalog)
        decision.costUSD += overhead.costUSD
        if decision.review, let review = catalog.reviewCostUSD { decision.costUSD += review }
        decision.latencyMs = decision.latencyMs.map { $0 + overhead.latencyMs }
        return decision
    }

    /// One call's decision by `kind` (not a pipeline), before overhead and review costs. (Inlined:
    /// called, it was given a copy of a step's route, the route's parts retained and released
    /// once per step-call; inlined, it reads the route where it lies.)
    @inline(__always)
    package static func decideCall(_ kind: Kind, _ record: Record, _ prices: RecordPrices, _ catalog: ModelCatalog) throws(MissingInput) -> Decision {
        let decision: Decision
        switch kind {
        case let .single(model):
            decision = try call(model, record, prices)
        case let .router(router):
            decision = try Self.call(router.choose(record), record, prices)
        case let .recordedRouter(router):
            decision = try Self.route(router, record, prices, catalog)
        case let .cascade(cascade):
            decision = try Self.run(cascade, record, prices)
        case let .ensemble(ensemble):
            decision = try Self.combine(ensemble, record, prices)
        case .oracle:
            decision = try Self.call(prices.oracle ?? prices.cheapest ?? 0, record, prices)
        case .recorded:
            decision = try Self.replayRecorded(record, prices, catalog)
        case .pipeline:
            throw .noSteps
        }
        return decision
    }

    private static func call(_ model: Int, _ record: Record, _ prices: RecordPrices) throws(MissingInput) -> Decision {
        guard let outcome = record.outcomes[model] else { throw .outcome(model: model) }
        let cost = prices.callCost[model]
        return Decision(costUSD: cost, latencyMs: outcome.latencyMs, success: outcome.success, answerModel: model,
                        answerCostUSD: cost, escalated: false, review: false, calls: 1, mockedCalls: record.mocked[model] ? 1 : 0,
                        failedCalls: outcome.success ? 0 : 1)
    }

    /// Every call production made for the record, in order (docs/policies.md, "What production
    /// did"): its recorded calls, else the model `served_by` names, else its one recorded outcome.
    /// Cost is every call's; the last call gives the answer; latency is the calls' latencies added
    /// (a fallback waits for the call before it).
    private static func replayRecorded(_ record: Record, _ prices: RecordPrices, _ catalog: ModelCatalog) throws(MissingInput) -> Decision {
        var calls = record.calls
        if calls.isEmpty, let served = record.servedBy {
            guard let model = catalog.index(matching: served) else { throw .servedCalls(models: 0, name: served) }
            calls = [model]
        }
        if calls.isEmpty {
            let recorded = record.outcomes.indices.filter { record.outcomes[$0] != nil && !record.mocked[$0] }
            guard recorded.count == 1 else { throw .servedCalls(models: recorded.count, name: nil) }
            calls = recorded
        }
        var decision = Decision(costUSD: 0, latencyMs: 0, success: false, answerModel: nil, answerCostUSD: 0,
                                escalated: calls.count > 1, review: false, calls: calls.count, mockedCalls: 0)
        for model in calls {
            guard let outcome = record.outcomes[model] else { throw .outcome(model: model) }
            decision.costUSD += prices.callCost[model]
            decision.latencyMs = decision.latencyMs.flatMap { total in outcome.latencyMs.map { total + $0 } }
            if !outcome.success { decision.failedCalls += 1 }
            decision.success = outcome.success
            decision.answerModel = model
            decision.answerCostUSD = prices.callCost[model]
        }
        return decision
    }

    private static func route(_ router: RecordedRouter, _ record: Record, _ prices: RecordPrices,
                              _ catalog: ModelCatalog) throws(MissingInput) -> Decision {
        guard let predicted = record.routerModel else {
            guard let fallback = router.defaultModel else { throw .routerPrediction }
            return try call(fallback, record, prices)
        }
        guard let useAtLeast = router.useAtLeast, let reviewAtLeast = router.reviewAtLeast else {
            return try call(predicted, record, prices)
        }
        let confidence = record.routerConfidence ?? -1
        if confidence >= useAtLeast { return try call(predicted, record, prices) }
        if confidence >= reviewAtLeast {
            var decision = try call(predicted, record, prices)
            decision.review = true
            return decision
        }
        let target: Int
        switch router.below {
        case let .model(model): target = model
        case .escalate: target = nextTier(above: predicted, record, catalog)
        }
        var decision = try call(target, record, prices)
        decision.escalated = target != predicted
        return decision
    }

    /// The catalog's lowest-tier model above `model` (ties: catalog order); the top tier stays. A record
    /// without that model's outcome is refused like any other missing outcome, rather than skipping a
    /// tier (docs/policies.md, "Escalation").
    private static func nextTier(above model: Int, _ record: Record, _ catalog: ModelCatalog) -> Int {
        let tier = catalog.models[model].tier
        var best: Int?
        for index in catalog.models.indices {
            let candidate = catalog.models[index].tier
            if candidate > tier, best.map({ candidate < catalog.models[$0].tier }) ?? true { best = index }
        }
        return best ?? model
    }

    // Inlined into `decideAll`: called apart, it was handed its cascade through a copy of the
    // policy's whole kind, copied and destroyed again per request (docs/performance.md).
    @inline(__always)
    private static func run(_ cascade: Cascade, _ record: Record, _ prices: RecordPrices) throws(MissingInput) -> Decision {
        var cost = 0.0
        var latency: Double? = 0
        var mocked = 0, failed = 0
        for (position, step) in cascade.steps.enumerated() {
            guard let outcome = record.outcomes[step.model] else { throw .outcome(model: step.model) }
            cost += prices.callCost[step.model]
            if record.mocked[step.model] { mocked += 1 }
            if !outcome.success { failed += 1 }
            latency = latency.flatMap { total in outcome.latencyMs.map { total + $0 } }
            let isLast = position == cascade.steps.count - 1
            if !isLast {
                cost += cascade.check.costUSD
                latency = latency.map { $0 + cascade.check.latencyMs }
            }
            if isLast || step.acceptIf.allSatisfy({ $0.passes(outcome) }) {
                return Decision(costUSD: cost, latencyMs: latency, success: outcome.success, answerModel: step.model,
                                answerCostUSD: prices.callCost[step.model], escalated: position > 0, review: false,
                                calls: position + 1, mockedCalls: mocked, failedCalls: failed)
            }
        }
        fatalError("a cascade's last step always accepts")
    }

    private static func combine(_ ensemble: Ensemble, _ record: Record, _ prices: RecordPrices) throws(MissingInput) -> Decision {
        var cost = 0.0
        var latency: Double? = 0
        var successes = 0, mocked = 0
        var best: (score: Double, success: Bool)?
        for member in ensemble.members {
            guard let outcome = record.outcomes[member] else { throw .outcome(model: member) }
            cost += prices.callCost[member]
            if record.mocked[member] { mocked += 1 }
            latency = latency.flatMap { slowest in outcome.latencyMs.map { max(slowest, $0) } }
            if outcome.success { successes += 1 }
            let score = outcome.quality ?? (outcome.success ? 1 : 0)
            if best.map({ score > $0.score }) ?? true { best = (score, outcome.success) }
        }
        let success = switch ensemble.combine {
        case .majority: 2 * successes > ensemble.members.count
        case .bestQuality: best?.success ?? false
        }
        return Decision(costUSD: cost, latencyMs: latency, success: success, answerModel: nil,
                        answerCostUSD: cost, escalated: false, review: false, calls: ensemble.members.count, mockedCalls: mocked,
                        failedCalls: ensemble.members.count - successes)
    }
}

extension RuleRouter {
    /// The model of the first rule whose conditions all hold, else the default.
    /// (Rules and conditions are borrowed through buffers: copying them per request costs more than testing them.)
    package func choose(_ record: Record) -> Int {
        rules.withUnsafeBufferPointer { rules in
            for index in rules.indices where rules[index].matches(record) { return rules[index].model }
            return defaultModel
        }
    }
}

extension RoutingRule {
    package func matches(_ record: Record) -> Bool {
        conditions.withUnsafeBufferPointer { conditions in
            for index in conditions.indices where !conditions[index].holds(for: record) { return false }
            return true
        }
    }
}

extension OutcomeTest {
    package func passes(_ outcome: Outcome) -> Bool {
        // Not `.map(comparison.holds)`: the method as a value was a closure allocated on the heap
        // at every test (docs/performance.md).
        guard let value = field.value(in: outcome) else { return false }
        return comparison.holds(value)
    }
}

extension OutcomeTest.Field {
    /// The outcome's value of this field; nil when the outcome lacks it.
    package func value(in outcome: Outcome) -> Double? {
        switch self {
        case .confidence: outcome.confidence
        case .quality: outcome.quality
        case .latencyMs: outcome.latencyMs
        case .outputTokens: outcome.outputTokens.map(Double.init)
        }
    }
}

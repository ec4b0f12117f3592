/// How a policy replays a request made of steps (docs/policies.md, "Pipelines"): each step is
/// routed by its stage, cost is the sum of every call, latency the critical path through the
/// steps' dependencies, and the request succeeds when every required step does.
extension Policy {
    /// `kind`'s and `overhead`'s decision on a request with steps. `view` is scratch for the
    /// request as each step-call sees it (`stepCall`), made by `stepView` once per request for
    /// all policies. Static, given the policy's parts, and reading its stages where they lie: a
    /// policy, a stage or its route copied per step retained and released all it holds.
    package static func decideSteps(_ kind: Kind, _ overhead: CallOverhead, _ record: Record, view: inout Record,
                                     prices: RecordPrices, catalog: ModelCatalog, policy: Int,
                                     into steps: inout [StepDecision], trace: inout [StepCall]?) throws(MissingInput) -> Decision {
        // The stages this policy runs — a pipeline's (their steps named apart, as the loader
        // checks), or for any other kind one that routes every step that way, required.
        if case let .pipeline(pipeline) = kind {
            return try pipeline.stages.withUnsafeBufferPointer { (stages) throws(MissingInput) -> Decision in
                try decideSteps(stages, isPipeline: true, overhead, record, view: &view, prices: prices, catalog: catalog, policy: policy,
                                into: &steps, trace: &trace)
            }
        }
        var only = Stage(step: "", route: kind)
        return try withUnsafeMutablePointer(to: &only) { (stage) throws(MissingInput) -> Decision in
            try decideSteps(UnsafeBufferPointer(start: stage, count: 1), isPipeline: false, overhead, record, view: &view, prices: prices,
                            catalog: catalog, policy: policy, into: &steps, trace: &trace)
        }
    }

    /// The request as each step-call sees it, before a step's fields are put in it: without its
    /// steps, served-by or cache-write counts.
    package static func stepView(_ record: Record) -> Record {
        var view = record
        view.steps = []
        view.servedBy = nil
        view.cacheWriteInputTokens = 0
        return view
    }

    /// `decideSteps` with the policy's stages.
    private static func decideSteps(_ stages: UnsafeBufferPointer<Stage>, isPipeline: Bool, _ overhead: CallOverhead, _ record: Record,
                                    view: inout Record, prices: RecordPrices, catalog: ModelCatalog, policy: Int,
                                    into steps: inout [StepDecision], trace: inout [StepCall]?) throws(MissingInput) -> Decision {
        // Each step's stage and finishing time live on the stack for the call: two arrays made and
        // freed per request and policy cost an allocation each and a look-up of their type at run
        // time (docs/performance.md).
        let count = record.steps.count
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { (stageOf) throws(MissingInput) -> Decision in
            try withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { (finish) throws(MissingInput) -> Decision in
                stageOf.initialize(repeating: -1)
                finish.initialize(repeating: 0)
                return try decideSteps(stages, isPipeline: isPipeline, overhead, record, view: &view, prices: prices, catalog: catalog,
                                       policy: policy, into: &steps, trace: &trace, stageOf: stageOf, finish: finish)
            }
        }
    }

    /// `decideSteps` with its per-step scratch: `stageOf` all −1, `finish` all 0, one of each per step.
    private static func decideSteps(_ stages: UnsafeBufferPointer<Stage>, isPipeline: Bool, _ overhead: CallOverhead, _ record: Record,
                                    view: inout Record, prices: RecordPrices, catalog: ModelCatalog, policy: Int,
                                    into steps: inout [StepDecision], trace: inout [StepCall]?,
                                    stageOf: UnsafeMutableBufferPointer<Int>, finish: UnsafeMutableBufferPointer<Double>) throws(MissingInput) -> Decision {
        // Which stage routes each first-round step (-1: none), found once. The stage of the k-th
        // first-round step is tried first, as pipelines list their steps in the order logs run
        // them: one comparison of names where a search made k.
        var matched = 0, ordinal = 0
        for index in record.steps.indices where record.steps[index].round == 1 {
            defer { ordinal += 1 }
            if !isPipeline {
                stageOf[index] = 0
            } else if ordinal < stages.count, stages[ordinal].step == record.steps[index].name {
                stageOf[index] = ordinal
                matched += 1
            } else if let stage = stages.firstIndex(where: { $0.step == record.steps[index].name }) {
                stageOf[index] = stage
                matched += 1
            }
        }
        if isPipeline, matched < stages.count {
            for stage in stages where !record.steps.contains(where: { $0.name == stage.step }) { throw .step(stage.step) }
        }
        let mark = steps.count
        // `finish`: when each step (by its first round's index) finishes, in ms after the request starts.
        var total = Decision(costUSD: overhead.costUSD, latencyMs: 0, success: true, answerModel: nil, answerCostUSD: 0,
                             escalated: false, review: false, calls: 0, mockedCalls: 0)
        var latencyKnown = true
        var stopped = false
        for index in record.steps.indices where record.steps[index].round == 1 {
            var start = 0.0
            for dependency in record.steps[index].after {
                // A step's first round comes first among the steps of its name.
                let first = record.steps[dependency].round == 1 ? dependency : first(of: record.steps[dependency].name, record)
                start = max(start, finish[first])
            }
            finish[index] = start
            guard !stopped, stageOf[index] >= 0 else { continue }
            let stage = stageOf[index]
            var decision = try Self.stepCall(stages, stage, record, index, view: &view, prices, catalog, policy: policy, trace: &trace)
            var rounds = 1
            var end = start + (decision.latencyMs ?? 0)
            if decision.latencyMs == nil { latencyKnown = false }
            if let loop = stages[stage].critic {
                guard let revised = stages.firstIndex(where: { $0.step == loop.revises }) else { throw .step(loop.revises) }
                try critique(loop, stages, critic: stage, revised: revised, first: index, record: record, view: &view, prices: prices,
                             catalog: catalog, policy: policy, decision: &decision, rounds: &rounds, end: &end,
                             latencyKnown: &latencyKnown, finish: finish, steps: &steps, mark: mark, trace: &trace)
            }
            finish[index] = end
            let oracle = prices.steps[index].oracle.map { prices.steps[index].callCost[$0] }
            steps.append(StepDecision(policy: policy, step: index, decision: decision, rounds: rounds, oracleCost: oracle))
            if !decision.success && stages[stage].stopOnFailure { stopped = true }
        }
        // The answer model is the steps' one answer model when they agree, else none.
        var answer: Int?? = .none, answersAgree = true, requiredReached = 0
        for entry in steps[mark...] {
            let required = stages[stageOf[entry.step]].required
            total.costUSD += entry.decision.costUSD
            total.answerCostUSD += entry.decision.answerCostUSD
            total.calls += entry.decision.calls
            total.mockedCalls += entry.decision.mockedCalls
            total.failedCalls += entry.decision.failedCalls
            total.escalated = total.escalated || entry.decision.escalated
            total.review = total.review || entry.decision.review
            if let seen = answer { answersAgree = answersAgree && seen == entry.decision.answerModel } else { answer = .some(entry.decision.answerModel) }
            if required { requiredReached += 1 }
            if required && !entry.decision.success { total.success = false }
        }
        if stopped { total.success = false }
        // A required step the chain never reached failed the request (each stage is reached at most once).
        if isPipeline, requiredReached < stages.count(where: \.required) { total.success = false }
        total.answerModel = answersAgree ? answer ?? nil : nil
        total.latencyMs = latencyKnown ? (finish.max() ?? 0) + overhead.latencyMs : nil
        return total
    }

    /// The index of the first step named `name`.
    private static func first(of name: String, _ record: Record) -> Int {
        record.steps.firstIndex { $0.name == name }!
    }

    /// Rounds 2, 3…: while the critic rejects, the step it revises runs again, then the critic.
    /// Revisions are charged to the revised step, whose last round's answer is the one delivered.
    /// `critic` and `revised` are the stages of the critic and of the step it revises.
    private static func critique(_ loop: CriticLoop, _ stages: UnsafeBufferPointer<Stage>, critic: Int, revised: Int, first index: Int,
                                 record: Record, view: inout Record, prices: RecordPrices,
                                 catalog: ModelCatalog, policy: Int, decision: inout Decision, rounds: inout Int, end: inout Double,
                                 latencyKnown: inout Bool, finish: UnsafeMutableBufferPointer<Double>, steps: inout [StepDecision], mark: Int,
                                 trace: inout [StepCall]?) throws(MissingInput) {
        var accepted = Self.accepts(loop, decision, record.steps[index])
        while !accepted && rounds < loop.maxRounds {
            rounds += 1
            guard let draft = Self.occurrence(loop.revises, round: rounds, record) else { throw .round(step: loop.revises, round: rounds) }
            guard let judge = Self.occurrence(record.steps[index].name, round: rounds, record) else {
                throw .round(step: record.steps[index].name, round: rounds)
            }
            let revision = try Self.stepCall(stages, revised, record, draft, view: &view, prices, catalog, policy: policy, trace: &trace)
            let verdict = try Self.stepCall(stages, critic, record, judge, view: &view, prices, catalog, policy: policy, trace: &trace)
            for part in [revision, verdict] {
                if let latency = part.latencyMs { end += latency } else { latencyKnown = false }
            }
            if let entry = steps[mark...].lastIndex(where: { record.steps[$0.step].name == loop.revises }) {
                steps[entry].decision.costUSD += revision.costUSD
                steps[entry].decision.calls += revision.calls
                steps[entry].decision.mockedCalls += revision.mockedCalls
                steps[entry].decision.failedCalls += revision.failedCalls
                steps[entry].decision.success = revision.success
                steps[entry].decision.answerModel = revision.answerModel
                steps[entry].decision.answerCostUSD = revision.answerCostUSD
                steps[entry].rounds = rounds
                finish[steps[entry].step] = end - (verdict.latencyMs ?? 0)
            }
            decision.costUSD += verdict.costUSD
            decision.calls += verdict.calls
            decision.mockedCalls += verdict.mockedCalls
            decision.failedCalls += verdict.failedCalls
            decision.answerModel = verdict.answerModel
            decision.answerCostUSD = verdict.answerCostUSD
            accepted = Self.accepts(loop, verdict, record.steps[judge])
        }
        decision.success = accepted
        decision.latencyMs = latencyKnown ? end - finish[index] : nil
    }

    /// Whether the critic's answer accepts the draft: its acceptance tests on the outcome of the
    /// model that answered, or (without tests, or for an ensemble) its success.
    private static func accepts(_ loop: CriticLoop, _ decision: Decision, _ step: Step) -> Bool {
        guard !loop.acceptIf.isEmpty, let model = decision.answerModel, let outcome = step.outcomes[model] else { return decision.success }
        return loop.acceptIf.allSatisfy { $0.passes(outcome) }
    }

    /// The index of round `round` of the step named `name`.
    private static func occurrence(_ name: String, round: Int, _ record: Record) -> Int? {
        record.steps.firstIndex { $0.round == round && $0.name == name }
    }

    /// One call of a step (`index`: its occurrence in `Record.steps`) routed by stage `stage`, as if
    /// the step were the whole request: its outcomes, tokens and prices; the request's category,
    /// features and router prediction. `view` is the request without its steps, served-by or
    /// cache-write counts, made once by the caller; the step's fields are put in it here. A
    /// review's cost is the step's. With a `trace`, the models it called are added to it.
    /// (`decideCall`, inlined here, reads the stage's route where it lies.)
    private static func stepCall(_ stages: UnsafeBufferPointer<Stage>, _ stage: Int, _ record: Record, _ index: Int, view: inout Record,
                                 _ prices: RecordPrices, _ catalog: ModelCatalog, policy: Int,
                                 trace: inout [StepCall]?) throws(MissingInput) -> Decision {
        view.outcomes = record.steps[index].outcomes
        view.mocked = record.steps[index].mocked
        view.calls = record.steps[index].calls
        view.inputTokens = record.steps[index].inputTokens
        view.outputTokens = record.steps[index].outputTokens
        view.cachedInputTokens = record.steps[index].cachedInputTokens
        var decision: Decision
        do throws(MissingInput) {
            decision = try decideCall(stages[stage].route, view, prices.steps[index], catalog)
        } catch {
            guard case let .outcome(model) = error else { throw error }
            throw .stepOutcome(index: index, step: record.steps[index].name, model: model)
        }
        if decision.review, let review = catalog.reviewCostUSD { decision.costUSD += review }
        if trace != nil {
            trace!.append(StepCall(policy: policy, step: index, models: CallPlan(stages[stage].route).calledModels(decision, record: view)))
        }
        return decision
    }
}

/// Which models a policy can call and did call (docs/capacity.md): for sweeps, and for the
/// self-hosted fleets, which need every call.
extension Policy {
    /// The catalog models this policy can answer from (a recorded router: any).
    package var models: Set<Int> {
        switch kind {
        case let .single(model): return [model]
        case let .router(router): return Set(router.rules.map(\.model)).union([router.defaultModel])
        case .recordedRouter, .oracle, .recorded: return []
        case let .cascade(cascade): return Set(cascade.steps.map(\.model))
        case let .ensemble(ensemble): return Set(ensemble.members)
        case let .pipeline(pipeline): return pipeline.stages.reduce(into: []) { $0.formUnion(Policy(name: name, kind: $1.route).models) }
        }
    }

    /// The catalog models a decision of this policy called, once per call: a cascade's steps up
    /// to the one that answered, an ensemble's members, what production called (given the
    /// record), else the answering model.
    package func calledModels(_ decision: Decision, record: Record? = nil) -> [Int] {
        var models: [Int] = []
        forEachCalledModel(decision, record: record) { models.append($0) }
        return models
    }

    /// `calledModels` one model at a time, without building a list (the replay's hot path).
    @inline(__always)
    package func forEachCalledModel(_ decision: Decision, record: Record? = nil, _ body: (Int) -> Void) {
        switch kind {
        case let .cascade(cascade): for step in cascade.steps.prefix(decision.calls) { body(step.model) }
        case let .ensemble(ensemble): ensemble.members.forEach(body)
        case .recorded:
            if let calls = record?.calls, !calls.isEmpty { calls.forEach(body) } else if let model = decision.answerModel { body(model) }
        case .single, .router, .recordedRouter, .oracle, .pipeline: if let model = decision.answerModel { body(model) }
        }
    }
}

/// Which catalog models a policy's decisions call, once per call: a cascade's steps up to the one
/// that answered, an ensemble's members, what production called (given the record), else the
/// answering model. Kept apart from the policy so the replay's hot path reads it without copying
/// a policy, whose copy retains each of its rules and names (docs/performance.md).
package struct CallPlan: Sendable {
    private enum Form { case steps, members, recorded, answer }
    private let form: Form
    /// A cascade's step models or an ensemble's members; empty otherwise.
    private let models: [Int]

    package init(_ kind: Policy.Kind) {
        switch kind {
        case let .cascade(cascade): (form, models) = (.steps, cascade.steps.map(\.model))
        case let .ensemble(ensemble): (form, models) = (.members, ensemble.members)
        case .recorded: (form, models) = (.recorded, [])
        case .single, .router, .recordedRouter, .oracle, .pipeline: (form, models) = (.answer, [])
        }
    }

    /// Calls `body` with each model `decision` called, without building a list.
    @inline(__always)
    package func forEach(_ decision: Decision, record: Record? = nil, _ body: (Int) -> Void) {
        switch form {
        case .steps: for model in models.prefix(decision.calls) { body(model) }
        case .members: models.forEach(body)
        case .recorded:
            if let calls = record?.calls, !calls.isEmpty { calls.forEach(body) } else if let model = decision.answerModel { body(model) }
        case .answer: if let model = decision.answerModel { body(model) }
        }
    }

    /// The models `decision` called, as a list.
    package func calledModels(_ decision: Decision, record: Record? = nil) -> [Int] {
        var models: [Int] = []
        forEach(decision, record: record) { models.append($0) }
        return models
    }
}

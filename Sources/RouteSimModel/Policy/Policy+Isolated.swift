/// Copies of policies that share no storage with the originals (docs/performance.md, "Policies per
/// thread"). Deciding a request copies parts of its policy, and each copy counts a reference to
/// the storage it shares; when two threads count references to the same storage, the count's
/// cache line moves between their cores on every request. Each replay worker decides with its
/// own copies, so the counts stay on one core.
extension Policy {
    /// This policy with every array, string and pattern rebuilt.
    package func isolated() -> Policy {
        Policy(name: name.isolated, kind: kind.isolated(), overhead: overhead)
    }
}

extension Policy.Kind {
    func isolated() -> Policy.Kind {
        switch self {
        case .single, .recordedRouter, .oracle, .recorded:
            // Plain values only: nothing shared.
            return self
        case let .router(router):
            let rules = router.rules.map { RoutingRule(conditions: $0.conditions.map { $0.isolated() }, model: $0.model) }
            return .router(RuleRouter(rules: rules, defaultModel: router.defaultModel))
        case let .cascade(cascade):
            return .cascade(Cascade(steps: cascade.steps.map { CascadeStep(model: $0.model, acceptIf: $0.acceptIf.map { $0 }) },
                                    check: cascade.check))
        case let .ensemble(ensemble):
            return .ensemble(Ensemble(members: ensemble.members.map { $0 }, combine: ensemble.combine))
        case let .pipeline(pipeline):
            return .pipeline(Pipeline(stages: pipeline.stages.map { stage in
                let critic = stage.critic.map { CriticLoop(revises: $0.revises.isolated, maxRounds: $0.maxRounds, acceptIf: $0.acceptIf.map { $0 }) }
                return Stage(step: stage.step.isolated, route: stage.route.isolated(), required: stage.required,
                             stopOnFailure: stage.stopOnFailure, critic: critic, complexity: stage.complexity)
            }))
        }
    }
}

extension Condition {
    func isolated() -> Condition {
        let subject: Subject = if case let .feature(key) = self.subject { .feature(key.isolated) } else { self.subject }
        switch test {
        case let .oneOf(values):
            return Condition(subject: subject, test: .oneOf(values.map { if case let .string(text) = $0 { .string(text.isolated) } else { $0 } }))
        case .compare:
            return Condition(subject: subject, test: test)
        case let .matches(pattern):
            // The pattern compiled once already; should it not now, the original is shared.
            return Condition(subject: subject, test: .matches((try? Pattern(pattern.text.isolated)) ?? pattern))
        }
    }
}

extension String {
    /// The same text in storage of its own (text of up to 15 bytes is held inline, shared by nothing).
    var isolated: String { String(decoding: Array(utf8), as: UTF8.self) }
}

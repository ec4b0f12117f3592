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
}

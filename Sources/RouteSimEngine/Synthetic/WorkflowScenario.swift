import RouteSimModel
import RouteSimStatistics

/// The steps of a synthetic workflow (a scenario's `steps:`; see datasets/workflow-scenario.yaml):
/// each request runs them in order, each step's models succeeding when the request's difficulty,
/// weighted for the step, is below their capability there.
public struct WorkflowScenario: Sendable {
    package struct Step: Sendable {
        package var name: String
        /// The steps it waits for; with probability `parallelShare` the alternative list instead.
        package var after: [String]
        package var parallelAfter: [String]?
        package var parallelShare: Double
        package var input: Double
        package var output: Double
        /// Per model: succeeds when the step's difficulty is below it.
        package var capability: [Double]
        /// How much of the request's difficulty this step feels (0: none, 1: all).
        package var difficultyWeight: Double
        /// Median latency as a share of the model's (short steps are faster).
        package var latencyScale: Double
        /// A critic of this earlier step: while any model's verdict rejects round r, round r+1 of
        /// both is recorded, up to `rounds`.
        package var criticOf: String?
        package var rounds: Int
    }

    package var steps: [Step]

    /// Reads `steps:` of a scenario, for models `models` (weakest first).
    package static func load(_ node: YAMLNode, models: [String]) throws -> WorkflowScenario {
        var steps: [Step] = []
        for (name, stepNode) in try node.mapping() {
            try stepNode.onlyKeys(["after", "parallel_after", "parallel_share", "input_tokens", "output_tokens", "capability",
                                   "difficulty_weight", "latency_scale", "critic_of", "rounds"])
            let capabilityNode = try stepNode.required("capability")
            let capability = try models.map { model -> Double in
                guard let value = try capabilityNode.optional(model) else { throw capabilityNode.failure("needs a value for model '\(model)'") }
                return try value.unitInterval()
            }
            let after = try stepNode.optional("after")?.stringList() ?? steps.last.map { [$0.name] } ?? []
            let parallel = try stepNode.optional("parallel_after")?.stringList()
            for dependency in after + (parallel ?? []) where !steps.contains(where: { $0.name == dependency }) {
                throw stepNode.failure("waits for '\(dependency)', which is not a step listed before it")
            }
            let critic = try stepNode.optional("critic_of")?.name()
            if let critic, !steps.contains(where: { $0.name == critic }) {
                throw try stepNode.required("critic_of").failure("'\(critic)' is not a step listed before it")
            }
            steps.append(Step(name: name, after: after, parallelAfter: parallel,
                              parallelShare: try stepNode.optional("parallel_share")?.unitInterval() ?? 0,
                              input: try stepNode.required("input_tokens").nonNegativeDouble(),
                              output: try stepNode.required("output_tokens").nonNegativeDouble(), capability: capability,
                              difficultyWeight: try stepNode.optional("difficulty_weight")?.unitInterval() ?? 1,
                              latencyScale: try stepNode.optional("latency_scale")?.nonNegativeDouble() ?? 1,
                              criticOf: critic, rounds: try stepNode.optional("rounds")?.int() ?? 1))
        }
        guard !steps.isEmpty else { throw node.failure("must list at least one step") }
        return WorkflowScenario(steps: steps)
    }
}

import RouteSimModel
import RouteSimStatistics
extension SupportLogGenerator.Scenario {
    /// Reads a synthetic-service scenario (see datasets/support-scenario.yaml).
    public static func load(path: String) throws -> SupportLogGenerator.Scenario {
        let root = try YAMLNode.document(of: TextFile.read(path), file: path)
        try root.onlyKeys(["models", "categories", "hourly_load", "router_accuracy", "steps"])
        var names: [String] = [], latency: [Double] = [], penalty: [Double] = []
        for (name, node) in try root.required("models").mapping() {
            try node.onlyKeys(["median_latency_ms", "code_penalty"])
            names.append(name)
            latency.append(try node.required("median_latency_ms").nonNegativeDouble())
            penalty.append(try node.optional("code_penalty")?.unitInterval() ?? 0)
        }
        guard !names.isEmpty else { throw try root.required("models").failure("must list at least one model, weakest first") }
        var categories: [SupportLogGenerator.Category] = []
        for (name, node) in try root.required("categories").mapping() {
            try node.onlyKeys(["share", "input_tokens", "output_tokens", "capability", "code_share"])
            let capabilityNode = try node.required("capability")
            let capability = try names.map { model -> Double in
                guard let value = try capabilityNode.optional(model) else { throw capabilityNode.failure("needs a value for model '\(model)'") }
                return try value.unitInterval()
            }
            categories.append(SupportLogGenerator.Category(
                name: name, share: try node.required("share").nonNegativeDouble(),
                input: try node.required("input_tokens").nonNegativeDouble(), output: try node.required("output_tokens").nonNegativeDouble(),
                capability: capability, codeShare: try node.optional("code_share")?.unitInterval() ?? 0))
        }
        let hourlyNode = try root.optional("hourly_load")
        let hourly = try hourlyNode?.sequence().map { try $0.nonNegativeDouble() } ?? Array(repeating: 1, count: 24)
        guard hourly.count == 24 else { throw hourlyNode!.failure("must give 24 relative loads, one per hour of the day (UTC)") }
        var scenario = SupportLogGenerator.Scenario(categories: categories, models: names, medianLatency: latency, codePenalty: penalty,
                                                    hourly: hourly, routerAccuracy: try root.optional("router_accuracy")?.unitInterval() ?? 0.8)
        scenario.workflow = try root.optional("steps").map { try WorkflowScenario.load($0, models: names) }
        return scenario
    }
}

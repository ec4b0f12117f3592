import RouteSimModel
import RouteSimStatistics
/// Mocked outcomes for models a log did not record (docs/mocks.md), per catalog model, and per
/// step of a workflow.
public struct MockSpec: Sendable {
    /// How one model behaves when mocked.
    public struct ModelMock: Sendable {
        public var model: Int
        public var success: Double
        public var successByCategory: [String: Double]
        /// Lognormal latency by median (ms) and log-scale sigma; nil leaves latency unrecorded.
        public var latency: (median: Double, sigma: Double)?
        /// × the record's output_tokens.
        public var outputRatio: Double
        /// Beta(a, b) for the self-reported confidence, on success and on failure.
        public var confidence: (ifSuccess: (Double, Double), ifFailure: (Double, Double))?
        /// Beta(a, b) for quality, on success and on failure.
        public var quality: (ifSuccess: (Double, Double), ifFailure: (Double, Double))?
    }

    /// How models behave on one step of a workflow (docs/mocks.md, "Steps").
    public struct StepMock: Sendable {
        public var name: String
        public var models: [ModelMock]
        /// A record lacking the step gets it, with these tokens, after these steps (default: its last).
        public var inputTokens: Int?
        public var outputTokens: Int?
        public var after: [String]?
        /// A record with fewer rounds of the step gets more, up to this many (for critic loops).
        public var rounds: Int
    }

    public var seed: Int?
    public var models: [ModelMock]
    public var steps: [StepMock] = []

    public static func load(path: String, catalog: ModelCatalog) throws -> MockSpec {
        try parse(TextFile.read(path), file: path, catalog: catalog)
    }

    package static func parse(_ text: String, file: String, catalog: ModelCatalog) throws -> MockSpec {
        let root = try YAMLNode.document(of: text, file: file)
        try root.onlyKeys(["seed", "models", "steps"])
        guard try root.optional("models") != nil || root.optional("steps") != nil else {
            throw root.failure("gives no mock: set models, steps or both")
        }
        var spec = MockSpec(seed: try root.optional("seed")?.int(), models: try root.optional("models").map { try modelMocks($0, catalog) } ?? [])
        for (name, node) in try root.optional("steps")?.mapping() ?? [] {
            if let problem = YAMLNode.nameProblem(name) { throw node.failure("the step name \(problem)") }
            try node.onlyKeys(["models", "input_tokens", "output_tokens", "after", "rounds"])
            let rounds = try node.optional("rounds")?.int() ?? 1
            guard rounds >= 1 else { throw try node.required("rounds").failure("must be at least 1") }
            func tokens(_ key: String) throws -> Int? {
                guard let value = try node.optional(key) else { return nil }
                let count = try value.nonNegativeDouble()
                guard count == count.rounded(), count <= Limits.maxTokens else { throw value.failure("must be a whole number of tokens up to 1e12") }
                return Int(count)
            }
            spec.steps.append(StepMock(name: name, models: try modelMocks(node.required("models"), catalog),
                                       inputTokens: try tokens("input_tokens"), outputTokens: try tokens("output_tokens"),
                                       after: try node.optional("after")?.stringList(), rounds: rounds))
        }
        return spec
    }

    private static func modelMocks(_ node: YAMLNode, _ catalog: ModelCatalog) throws -> [ModelMock] {
        var models: [ModelMock] = []
        for (name, node) in try node.mapping() {
            guard let index = catalog.index(of: name) else { throw node.failure("model '\(name)' is not in the catalog \(catalog.file)") }
            try node.onlyKeys(["success", "latency_ms", "output_ratio", "confidence", "quality"])
            let successNode = try node.required("success")
            var success: Double
            var byCategory: [String: Double] = [:]
            if successNode.node.mapping != nil {
                try successNode.onlyKeys(["default", "by_category"])
                success = try successNode.required("default").unitInterval()
                for (category, value) in try successNode.optional("by_category")?.mapping() ?? [] {
                    byCategory[category] = try value.unitInterval()
                }
            } else {
                success = try successNode.unitInterval()
            }
            var latency: (Double, Double)?
            if let latencyNode = try node.optional("latency_ms") {
                try latencyNode.onlyKeys(["median", "sigma"])
                let median = try latencyNode.required("median").double()
                guard median > 0 else { throw try latencyNode.required("median").failure("must be > 0") }
                latency = (median, try latencyNode.optional("sigma")?.nonNegativeDouble() ?? 0)
            }
            models.append(ModelMock(model: index, success: success, successByCategory: byCategory, latency: latency,
                                    outputRatio: try node.optional("output_ratio")?.nonNegativeDouble() ?? 1,
                                    confidence: try node.optional("confidence").map(betaPair),
                                    quality: try node.optional("quality").map(betaPair)))
        }
        return models
    }

    private static func betaPair(_ node: YAMLNode) throws -> ((Double, Double), (Double, Double)) {
        try node.onlyKeys(["if_success", "if_failure"])
        func pair(_ key: String) throws -> (Double, Double) {
            let item = try node.required(key)
            let values = try item.sequence().map { try $0.double() }
            guard values.count == 2, values.allSatisfy({ $0 > 0 }) else { throw item.failure("must be [a, b] with a, b > 0 (a Beta distribution)") }
            return (values[0], values[1])
        }
        return (try pair("if_success"), try pair("if_failure"))
    }
}

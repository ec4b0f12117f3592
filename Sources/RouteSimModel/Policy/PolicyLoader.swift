/// Reads policy files (docs/policies.md), resolving model names against a catalog.
public enum PolicyLoader {
    /// Every policy of every file, in order; names must be unique across files. The first problem throws.
    public static func load(paths: [String], catalog: ModelCatalog) throws -> [Policy] {
        let (policies, _, problems) = loadCollecting(paths: paths, catalog: catalog)
        if let first = problems.first { throw first }
        guard !policies.isEmpty else { throw RouteSimError.usage("no policies were given (use --policy FILE)") }
        return policies
    }

    /// Every policy that loads, and a problem for each document that does not (a file that is not
    /// valid YAML is one problem), and for each name used twice — for `validate`, which lists them all.
    public static func loadCollecting(paths: [String], catalog: ModelCatalog) -> (policies: [Policy], files: [String], problems: [Error]) {
        var policies: [Policy] = [], files: [String] = [], problems: [Error] = []
        var seen: [String: String] = [:]
        for path in paths {
            let documents: [YAMLNode]
            do {
                documents = try YAMLNode.documents(of: TextFile.read(path), file: path)
            } catch {
                problems.append(error)
                continue
            }
            if documents.isEmpty {
                problems.append(RouteSimError.invalidInput(file: path, line: 1, field: "", reason: "holds no policy (an empty file?)"))
            }
            for document in documents {
                do {
                    let policy = try parse(document, catalog: catalog)
                    if let earlier = seen[policy.name] {
                        throw try document.required("name").failure("policy name '\(policy.name)' is already used in \(earlier)")
                    }
                    seen[policy.name] = "\(path):\(document.line)"
                    policies.append(policy)
                    files.append(path)
                } catch {
                    problems.append(error)
                }
            }
        }
        return (policies, files, problems)
    }

    package static func parse(_ node: YAMLNode, catalog: ModelCatalog) throws -> Policy {
        let name = try node.required("name").name()
        let overhead = try node.optional("overhead").map(overheadOf) ?? .zero
        let kind = try kind(node, catalog, common: ["name", "kind", "overhead", "description"], inPipeline: false)
        return Policy(name: name, kind: kind, overhead: overhead)
    }

    /// The kind a policy body describes; `common` are the other keys its mapping may hold.
    private static func kind(_ node: YAMLNode, _ catalog: ModelCatalog, common: Set<String>, inPipeline: Bool) throws -> Policy.Kind {
        let kindNode = try node.required("kind")
        let kind: Policy.Kind
        switch try kindNode.string() {
        case "single":
            try node.onlyKeys(common.union(["model"]))
            kind = .single(model: try model(node.required("model"), catalog))
        case "router":
            if try node.optional("use_recorded")?.bool() == true {
                try node.onlyKeys(common.union(["use_recorded", "confidence", "default"]))
                kind = .recordedRouter(try recordedRouter(node, catalog))
            } else {
                try node.onlyKeys(common.union(["use_recorded", "rules", "default"]))
                let rules = try node.required("rules").sequence().map { try rule($0, catalog) }
                kind = .router(RuleRouter(rules: rules, defaultModel: try model(node.required("default"), catalog)))
            }
        case "cascade":
            try node.onlyKeys(common.union(["steps", "check"]))
            kind = .cascade(try cascade(node, catalog))
        case "ensemble":
            try node.onlyKeys(common.union(["models", "combine"]))
            let members = try node.required("models").sequence().map { try model($0, catalog) }
            guard members.count >= 2 else { throw try node.required("models").failure("an ensemble needs at least two models") }
            let combineNode = try node.optional("combine")
            let combineName = try combineNode?.string() ?? "majority"
            guard let combine = Ensemble.Combine(rawValue: combineName) else {
                throw combineNode!.failure("must be majority or best_quality, not '\(combineName)'")
            }
            kind = .ensemble(Ensemble(members: members, combine: combine))
        case "oracle":
            try node.onlyKeys(common)
            kind = .oracle
        case "recorded":
            try node.onlyKeys(common)
            kind = .recorded
        case "pipeline" where !inPipeline:
            try node.onlyKeys(common.union(["steps"]))
            kind = .pipeline(try pipeline(node.required("steps"), catalog))
        case "pipeline":
            throw kindNode.failure("a pipeline's step cannot itself be a pipeline")
        case let other:
            throw kindNode.failure("'\(other)' is not a policy kind (single, router, cascade, ensemble, oracle, recorded, pipeline)")
        }
        return kind
    }

    /// A pipeline's `steps:` list (docs/policies.md, "Pipelines").
    private static func pipeline(_ node: YAMLNode, _ catalog: ModelCatalog) throws -> Pipeline {
        let stageKeys: Set<String> = ["step", "kind", "required", "stop_on_failure", "critic_of", "max_rounds", "accept_if", "complexity"]
        var stages: [Stage] = []
        let nodes = try node.sequence()
        guard !nodes.isEmpty else { throw node.failure("a pipeline lists at least one step") }
        for stageNode in nodes {
            let stepNode = try stageNode.required("step")
            let step = try stepNode.name()
            if stages.contains(where: { $0.step == step }) { throw stepNode.failure("step '\(step)' is listed twice") }
            var stage = Stage(step: step, route: try kind(stageNode, catalog, common: stageKeys, inPipeline: true))
            stage.required = try stageNode.optional("required")?.bool() ?? true
            stage.stopOnFailure = try stageNode.optional("stop_on_failure")?.bool() ?? false
            if let criticNode = try stageNode.optional("critic_of") {
                let revises = try criticNode.name()
                guard stages.contains(where: { $0.step == revises }) else {
                    throw criticNode.failure("the step a critic judges must be listed before it, and '\(revises)' is not")
                }
                let rounds = try stageNode.optional("max_rounds")?.int() ?? 3
                guard rounds >= 1 else { throw try stageNode.required("max_rounds").failure("must be at least 1") }
                let tests = try stageNode.optional("accept_if")?.mapping().flatMap { key, value in try outcomeTests(key, value) } ?? []
                stage.critic = CriticLoop(revises: revises, maxRounds: rounds, acceptIf: tests)
            } else {
                for key in ["max_rounds", "accept_if"] where try stageNode.optional(key) != nil {
                    throw try stageNode.required(key).failure("only a critic step (critic_of: STEP) takes \(key)")
                }
            }
            if let complexityNode = try stageNode.optional("complexity") {
                stage.complexity = try complexity(complexityNode)
            }
            stages.append(stage)
        }
        return Pipeline(stages: stages)
    }

    private static func complexity(_ node: YAMLNode) throws -> DeclaredComplexity {
        try node.onlyKeys(["reasoning", "context", "knowledge"])
        func level(_ key: String) throws -> DeclaredComplexity.Level? {
            guard let value = try node.optional(key) else { return nil }
            let text = try value.string()
            guard let level = DeclaredComplexity.Level.allCases.first(where: { $0.name == text }) else {
                throw value.failure("must be low, medium or high, not '\(text)'")
            }
            return level
        }
        return DeclaredComplexity(reasoning: try level("reasoning"), context: try level("context"), knowledge: try level("knowledge"))
    }

    private static func model(_ node: YAMLNode, _ catalog: ModelCatalog) throws -> Int {
        let name = try node.string()
        guard let index = catalog.index(of: name) else {
            throw node.failure("model '\(name)' is not in the catalog \(catalog.file) (it has: \(catalog.models.map(\.name).joined(separator: ", ")))")
        }
        return index
    }

    private static func overheadOf(_ node: YAMLNode) throws -> CallOverhead {
        try node.onlyKeys(["cost_usd", "latency_ms"])
        return CallOverhead(costUSD: try node.optional("cost_usd")?.dollars() ?? 0,
                            latencyMs: try node.optional("latency_ms")?.milliseconds() ?? 0)
    }

    private static func rule(_ node: YAMLNode, _ catalog: ModelCatalog) throws -> RoutingRule {
        try node.onlyKeys(["if", "model"])
        let conditions = try node.required("if").mapping().map { key, value in try condition(key, value) }
        return RoutingRule(conditions: conditions, model: try model(node.required("model"), catalog))
    }

    private static func condition(_ key: String, _ node: YAMLNode) throws -> Condition {
        guard let subject = Condition.Subject(key: key) else {
            throw node.failure("rules can test category, input_tokens, output_tokens or features.NAME, not '\(key)'")
        }
        guard node.node.mapping != nil else {
            return Condition(subject: subject, test: .oneOf(try node.stringList().map(featureValue)))
        }
        let tests = try node.mapping()
        guard tests.count == 1 else { throw node.failure("give one test per key (gt, gte, lt, lte, matches, in)") }
        let (op, operand) = tests[0]
        if op == "matches" {
            let pattern = try operand.string()
            do {
                return Condition(subject: subject, test: .matches(try Pattern(pattern)))
            } catch {
                throw operand.failure("is not a valid regular expression: \(error)")
            }
        }
        if op == "in" || op == "eq" {
            return Condition(subject: subject, test: .oneOf(try operand.stringList().map(featureValue)))
        }
        guard let comparison = Comparison.Operator(rawValue: op) else {
            throw operand.failure("'\(op)' is not a test (gt, gte, lt, lte, matches, in, eq)")
        }
        return Condition(subject: subject, test: .compare(Comparison(op: comparison, value: try operand.double())))
    }

    /// A YAML scalar as the feature value it should equal.
    private static func featureValue(_ text: String) -> FeatureValue {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: return DecimalText.double(text).map(FeatureValue.number) ?? .string(text)
        }
    }

    private static func recordedRouter(_ node: YAMLNode, _ catalog: ModelCatalog) throws -> RecordedRouter {
        let defaultModel = try node.optional("default").map { try model($0, catalog) }
        guard let bands = try node.optional("confidence") else {
            return RecordedRouter(useAtLeast: nil, reviewAtLeast: nil, below: .escalate, defaultModel: defaultModel)
        }
        try bands.onlyKeys(["use_at_least", "review_at_least", "below"])
        let useAtLeast = try bands.required("use_at_least").unitInterval()
        let reviewAtLeast = try bands.optional("review_at_least")?.unitInterval() ?? useAtLeast
        guard reviewAtLeast <= useAtLeast else {
            throw try bands.required("review_at_least").failure("must not be above use_at_least (\(useAtLeast))")
        }
        var below = RecordedRouter.BelowAction.escalate
        if let belowNode = try bands.optional("below"), try belowNode.string() != "escalate" {
            below = .model(try model(belowNode, catalog))
        }
        return RecordedRouter(useAtLeast: useAtLeast, reviewAtLeast: reviewAtLeast, below: below, defaultModel: defaultModel)
    }

    private static func cascade(_ node: YAMLNode, _ catalog: ModelCatalog) throws -> Cascade {
        let stepNodes = try node.required("steps").sequence()
        guard stepNodes.count >= 2 else { throw try node.required("steps").failure("a cascade needs at least two steps") }
        var steps: [CascadeStep] = []
        for (position, stepNode) in stepNodes.enumerated() {
            try stepNode.onlyKeys(["model", "accept_if"])
            let isLast = position == stepNodes.count - 1
            var tests: [OutcomeTest] = []
            if let acceptNode = try stepNode.optional("accept_if") {
                if isLast { throw acceptNode.failure("the last step always accepts; remove its accept_if") }
                tests = try acceptNode.mapping().flatMap { key, value in try outcomeTests(key, value) }
            } else if !isLast {
                throw stepNode.failure("every step but the last needs accept_if (e.g. accept_if: {confidence: {gte: 0.8}})")
            }
            steps.append(CascadeStep(model: try model(stepNode.required("model"), catalog), acceptIf: tests))
        }
        let check = try node.optional("check").map(overheadOf) ?? .zero
        return Cascade(steps: steps, check: check)
    }

    private static func outcomeTests(_ key: String, _ node: YAMLNode) throws -> [OutcomeTest] {
        guard let field = OutcomeTest.Field(rawValue: key) else {
            let names = OutcomeTest.Field.allCases.map(\.rawValue).joined(separator: ", ")
            throw node.failure("accept_if can test \(names), not '\(key)'")
        }
        return try node.mapping().map { op, operand in
            guard let comparison = Comparison.Operator(rawValue: op) else {
                throw operand.failure("'\(op)' is not a comparison (gt, gte, lt, lte)")
            }
            return OutcomeTest(field: field, comparison: Comparison(op: comparison, value: try operand.double()))
        }
    }
}

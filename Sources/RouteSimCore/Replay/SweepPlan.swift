/// One policy at many settings of one numeric parameter, for `routesim sweep`.
public struct SweepPlan: Sendable {
    public var policyName: String
    public var parameter: ParameterPath
    /// Settings in ascending order, and the policy at each.
    public var values: [Double]
    public var variants: [Policy]
    /// The two models of a two-model policy (weak: lower tier), for RouteLLM's figures.
    public var weak: Int?
    public var strong: Int?
    public var weakName: String?
    public var strongName: String?

    /// Builds a variant for each value from the named policy's YAML in `paths`.
    public init(policyName: String, parameter: ParameterPath, values: [Double], paths: [String], catalog: ModelCatalog) throws {
        var document: YAMLNode?
        for path in paths {
            for node in try YAMLNode.documents(of: TextFile.read(path), file: path)
            where try node.optional("name")?.string() == policyName {
                document = node
            }
        }
        guard let document else { throw RouteSimError.usage("--sweep \(policyName) is not a policy in \(paths.joined(separator: ", "))") }
        self.policyName = policyName
        self.parameter = parameter
        self.values = values.sorted()
        variants = try self.values.map { value in
            let node = try parameter.setting(value, in: document.node, policy: policyName)
            var policy = try PolicyLoader.parse(YAMLNode(node: node, file: document.file, path: ""), catalog: catalog)
            policy.name = "\(policyName)[\(parameter)=\(value)]"
            return policy
        }
        let models = variants[0].models
        if models.count == 2 {
            let sorted = models.sorted { catalog.models[$0].tier < catalog.models[$1].tier }
            (weak, strong) = (sorted[0], sorted[1])
            (weakName, strongName) = (catalog.models[sorted[0]].name, catalog.models[sorted[1]].name)
        }
    }

    /// The record's decision at every setting, as runs of settings that decide alike: a decision
    /// is piecewise constant in a threshold, so bisection finds the breakpoints with
    /// O(pieces · log settings) evaluations. Assumes each piece is one run (monotone thresholds).
    func pieces(_ record: Record, prices: RecordPrices, catalog: ModelCatalog) throws(MissingInput) -> [(range: Range<Int>, decision: Decision)] {
        var result: [(Range<Int>, Decision)] = []
        func decide(_ index: Int) throws(MissingInput) -> Decision {
            try variants[index].decide(record, prices: prices, catalog: catalog)
        }
        func split(_ low: Int, _ lowDecision: Decision, _ high: Int, _ highDecision: Decision) throws(MissingInput) {
            if lowDecision == highDecision {
                result.append((low..<(high + 1), lowDecision))
            } else if high == low + 1 {
                result.append((low..<high, lowDecision))
                result.append((high..<(high + 1), highDecision))
            } else {
                let middle = (low + high) / 2
                let middleDecision = try decide(middle)
                try split(low, lowDecision, middle, middleDecision)
                let next = middle + 1
                try split(next, next == high ? highDecision : try decide(next), high, highDecision)
            }
        }
        let last = variants.count - 1
        let first = try decide(0)
        try split(0, first, last, last == 0 ? first : try decide(last))
        return result
    }
}

extension Policy {
    /// The catalog models this policy can answer from (a recorded router: any).
    var models: Set<Int> {
        switch kind {
        case let .single(model): return [model]
        case let .router(router): return Set(router.rules.map(\.model)).union([router.defaultModel])
        case .recordedRouter, .oracle: return []
        case let .cascade(cascade): return Set(cascade.steps.map(\.model))
        case let .ensemble(ensemble): return Set(ensemble.members)
        }
    }
}

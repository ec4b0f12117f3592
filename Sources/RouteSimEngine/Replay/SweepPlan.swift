import RouteSimModel
import RouteSimStatistics
/// One policy at many settings of one numeric parameter, for `routesim sweep`.
public struct SweepPlan: Sendable {
    public var policyName: String
    public var parameter: ParameterPath
    /// Settings in ascending order, and the policy at each.
    public var values: [Double]
    public var variants: [Policy]
    /// The comparison the parameter is the threshold of, when it is one (then two decisions a record suffice).
    package var threshold: SweptThreshold?

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
        threshold = SweptThreshold(parameter, values: self.values, variants: variants)
    }

    /// The record's decision at every setting, as runs of settings that decide alike, each handed
    /// to `piece` in order. When the parameter is one comparison's threshold and the record one call,
    /// the settings split where that comparison changes (`SweptThreshold`): two decisions. Otherwise
    /// a decision is piecewise constant in a threshold, so bisection finds the breakpoints with
    /// O(pieces · log settings) evaluations, assuming each piece is one run (monotone thresholds).
    /// When a setting cannot decide, pieces already handed on stay handed on.
    package func pieces(_ record: Record, prices: RecordPrices, catalog: ModelCatalog,
                        _ piece: (Range<Int>, Decision) -> Void) throws(SettingMissingInput) {
        func decide(_ index: Int) throws(SettingMissingInput) -> Decision {
            do {
                return try variants[index].decide(record, prices: prices, catalog: catalog)
            } catch {
                throw SettingMissingInput(policy: variants[index].name, missing: error)
            }
        }
        func split(_ low: Int, _ lowDecision: Decision, _ high: Int, _ highDecision: Decision) throws(SettingMissingInput) {
            if lowDecision == highDecision {
                piece(low..<(high + 1), lowDecision)
            } else if high == low + 1 {
                piece(low..<high, lowDecision)
                piece(high..<(high + 1), highDecision)
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
        if let threshold, record.steps.isEmpty {
            let split = threshold.split(record, values: values)
            let second = split > last ? first : try decide(split)
            if first == second {
                piece(0..<(last + 1), first)
            } else {
                piece(0..<split, first)
                piece(split..<(last + 1), second)
            }
            return
        }
        try split(0, first, last, last == 0 ? first : try decide(last))
    }

    /// This plan with variants of its own, for one replay worker (docs/performance.md, "Policies per thread").
    package func isolated() -> SweepPlan {
        var plan = self
        plan.variants = variants.map { $0.isolated() }
        return plan
    }
}

/// A sweep setting could not decide a record: which setting (its policy name says the value), and why.
package struct SettingMissingInput: Error {
    package var policy: String
    package var missing: MissingInput
}

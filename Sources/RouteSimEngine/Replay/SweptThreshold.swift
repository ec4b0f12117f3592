import RouteSimModel

/// A swept parameter that is the threshold of one comparison with the record — a cascade step's
/// `accept_if` test, a rule router's numeric `if:` test, or a recorded router's confidence band —
/// and which side of the comparison the record supplies. A one-call record's decision then
/// depends on the setting only through whether `value op setting` holds, which changes at most
/// once along the ascending settings: each record needs two decisions, at the first setting and
/// at the one where the comparison changes (docs/commands.md, "sweep").
package struct SweptThreshold: Sendable {
    package enum Operand: Sendable {
        case outcome(model: Int, field: OutcomeTest.Field)
        case routerConfidence
        case subject(Condition.Subject)
    }

    package let operand: Operand
    package let op: Comparison.Operator

    /// The threshold `path` names in `variants`, or nil when the path is no such threshold, or when
    /// some variant's threshold is not its setting (the sweep then bisects instead).
    package init?(_ path: ParameterPath, values: [Double], variants: [Policy]) {
        guard let first = variants.first, let (operand, op, _) = Self.locate(path, in: first) else { return nil }
        for (variant, value) in zip(variants, values) where Self.locate(path, in: variant)?.threshold != value {
            return nil
        }
        self.operand = operand
        self.op = op
    }

    /// The first setting at which the comparison comes out otherwise than at the first setting, by
    /// binary search over the ascending `values`; `values.count` when it never does.
    package func split(_ record: Record, values: [Double]) -> Int {
        guard let value = value(in: record) else { return values.count }
        let atFirst = Comparison(op: op, value: values[0]).holds(value)
        var low = 1, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if Comparison(op: op, value: values[middle]).holds(value) == atFirst { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The record's side of the comparison; nil when it has none, and the comparison fails at every setting.
    private func value(in record: Record) -> Double? {
        switch operand {
        case let .outcome(model, field):
            return record.outcomes[model].flatMap(field.value(in:))
        case .routerConfidence:
            return record.routerConfidence ?? -1
        case let .subject(subject):
            guard case let .number(number)? = subject.value(in: record) else { return nil }
            return number
        }
    }

    private static func locate(_ path: ParameterPath, in policy: Policy)
        -> (operand: Operand, op: Comparison.Operator, threshold: Double)? {
        var keys: [String] = [], index: Int?
        for component in path.components {
            switch component {
            case let .key(key): keys.append(key)
            case let .index(position) where index == nil && keys.count == 1: index = position
            case .index: return nil
            }
        }
        switch policy.kind {
        case let .cascade(cascade):
            guard let index, keys.count == 4, keys[0] == "steps", keys[1] == "accept_if", cascade.steps.indices.contains(index),
                  let field = OutcomeTest.Field(rawValue: keys[2]), let op = Comparison.Operator(rawValue: keys[3]) else { return nil }
            let tests = cascade.steps[index].acceptIf.filter { $0.field == field && $0.comparison.op == op }
            guard tests.count == 1 else { return nil }
            return (.outcome(model: cascade.steps[index].model, field: field), op, tests[0].comparison.value)
        case let .router(router):
            guard let index, keys.count >= 4, keys[0] == "rules", keys[1] == "if", router.rules.indices.contains(index),
                  let op = Comparison.Operator(rawValue: keys[keys.count - 1]),
                  let subject = Condition.Subject(key: keys[2..<(keys.count - 1)].joined(separator: ".")) else { return nil }
            let thresholds = router.rules[index].conditions.compactMap { condition -> Double? in
                guard condition.subject == subject, case let .compare(comparison) = condition.test, comparison.op == op else { return nil }
                return comparison.value
            }
            guard thresholds.count == 1 else { return nil }
            return (.subject(subject), op, thresholds[0])
        case let .recordedRouter(router):
            guard index == nil, keys.count == 2, keys[0] == "confidence" else { return nil }
            let threshold = switch keys[1] {
            case "use_at_least": router.useAtLeast
            case "review_at_least": router.reviewAtLeast
            default: Double?.none
            }
            return threshold.map { (.routerConfidence, .gte, $0) }
        default:
            return nil
        }
    }
}

/// A numeric comparison such as `gt: 2000`.
public struct Comparison: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case gt, gte, lt, lte
    }

    public var op: Operator
    public var value: Double

    public func holds(_ x: Double) -> Bool {
        switch op {
        case .gt: return x > value
        case .gte: return x >= value
        case .lt: return x < value
        case .lte: return x <= value
        }
    }
}

/// One predicate of a routing rule (docs/policies.md).
public struct Condition: @unchecked Sendable {
    public enum Subject: Sendable, Equatable {
        case category
        case inputTokens
        case outputTokens
        case feature(String)
    }

    public enum Test {
        /// Equality with one of these values.
        case oneOf([FeatureValue])
        case compare(Comparison)
        case matches(Regex<AnyRegexOutput>, pattern: String)
    }

    public var subject: Subject
    public var test: Test

    package func holds(for record: Record) -> Bool {
        let value: FeatureValue?
        switch subject {
        case .category: value = record.category.map(FeatureValue.string)
        case .inputTokens: value = .number(Double(record.inputTokens))
        case .outputTokens: value = record.outputTokens.map { .number(Double($0)) }
        case let .feature(key): value = record.features[key]
        }
        guard let value else { return false }
        switch test {
        case let .oneOf(candidates):
            return candidates.contains(value)
        case let .compare(comparison):
            guard case let .number(number) = value else { return false }
            return comparison.holds(number)
        case let .matches(regex, _):
            guard case let .string(text) = value else { return false }
            return (try? regex.firstMatch(in: text)) != nil
        }
    }
}

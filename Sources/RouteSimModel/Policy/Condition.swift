/// A numeric comparison such as `gt: 2000`.
public struct Comparison: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case gt, gte, lt, lte
    }

    public var op: Operator
    public var value: Double

    package init(op: Operator, value: Double) {
        self.op = op
        self.value = value
    }

    public func holds(_ x: Double) -> Bool {
        switch op {
        case .gt: return x > value
        case .gte: return x >= value
        case .lt: return x < value
        case .lte: return x <= value
        }
    }
}

/// A compiled `matches:` pattern and its text. A class, so that a `Condition` holds one pointer
/// instead of a `Regex`, whose layout only the runtime knows: copying a condition is then a
/// reference count, not a call into the runtime for each part (docs/performance.md).
public final class Pattern: @unchecked Sendable {
    public let regex: Regex<AnyRegexOutput>
    public let text: String

    public init(_ text: String) throws {
        regex = try Regex(text)
        self.text = text
    }
}

/// One predicate of a routing rule (docs/policies.md).
public struct Condition: Sendable {
    public enum Subject: Sendable, Equatable {
        case category
        case inputTokens
        case outputTokens
        case feature(String)

        /// The subject a rule's `if:` key names (`category`, `input_tokens`, `output_tokens`,
        /// `features.NAME`), or nil.
        package init?(key: String) {
            switch key {
            case "category": self = .category
            case "input_tokens": self = .inputTokens
            case "output_tokens": self = .outputTokens
            case _ where key.hasPrefix("features.") && key.count > 9: self = .feature(String(key.dropFirst(9)))
            default: return nil
            }
        }

        /// The record's value of this subject; nil when the record lacks it.
        package func value(in record: Record) -> FeatureValue? {
            switch self {
            case .category: return record.category.map(FeatureValue.string)
            case .inputTokens: return .number(Double(record.inputTokens))
            case .outputTokens: return record.outputTokens.map { .number(Double($0)) }
            case let .feature(key): return record.features[key]
            }
        }
    }

    public enum Test: Sendable {
        /// Equality with one of these values.
        case oneOf([FeatureValue])
        case compare(Comparison)
        case matches(Pattern)
    }

    public var subject: Subject
    public var test: Test

    package func holds(for record: Record) -> Bool {
        guard let value = subject.value(in: record) else { return false }
        switch test {
        case let .oneOf(candidates):
            return candidates.contains(value)
        case let .compare(comparison):
            guard case let .number(number) = value else { return false }
            return comparison.holds(number)
        case let .matches(pattern):
            guard case let .string(text) = value else { return false }
            return (try? pattern.regex.firstMatch(in: text)) != nil
        }
    }
}

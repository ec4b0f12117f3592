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
        // The record's own fields are tested where they are, not first made a `FeatureValue`
        // (a category so made was a string retained and released per rule and request).
        switch subject {
        case .category:
            guard let category = record.category else { return false }
            return test.holds(text: category)
        case .inputTokens:
            return test.holds(number: Double(record.inputTokens))
        case .outputTokens:
            guard let tokens = record.outputTokens else { return false }
            return test.holds(number: Double(tokens))
        case let .feature(key):
            switch record.features[key] {
            case nil: return false
            case let .number(number)?: return test.holds(number: number)
            case let .string(text)?: return test.holds(text: text)
            case let .bool(flag)?: return test.holds(flag: flag)
            }
        }
    }
}

extension Condition.Test {
    /// Whether a number passes: one of the values, or the comparison.
    func holds(number: Double) -> Bool {
        switch self {
        case let .oneOf(candidates): return candidates.contains(.number(number))
        case let .compare(comparison): return comparison.holds(number)
        case .matches: return false
        }
    }

    /// Whether a true/false value passes: one of the values (a comparison or pattern never does).
    func holds(flag: Bool) -> Bool {
        guard case let .oneOf(candidates) = self else { return false }
        return candidates.contains(.bool(flag))
    }

    /// Whether a text passes: one of the values, or the pattern.
    func holds(text: String) -> Bool {
        switch self {
        case let .oneOf(candidates):
            for candidate in candidates { if case let .string(value) = candidate, value == text { return true } }
            return false
        case .compare: return false
        case let .matches(pattern): return (try? pattern.regex.firstMatch(in: text)) != nil
        }
    }
}

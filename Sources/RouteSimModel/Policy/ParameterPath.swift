import Yams

/// Where a numeric parameter sits in a policy's YAML, such as `steps[0].accept_if.confidence.gte`,
/// `confidence.use_at_least` or `rules[1].if.input_tokens.gt`.
public struct ParameterPath: Sendable, CustomStringConvertible {
    package enum Component: Sendable {
        case key(String)
        case index(Int)
    }

    package let components: [Component]
    public let description: String

    public init(_ text: String) throws {
        var components: [Component] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let name = rest.prefix { $0 != "[" }
            guard !name.isEmpty else { throw Self.invalid(text) }
            components.append(.key(String(name)))
            rest = rest.dropFirst(name.count)
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]) else {
                    throw Self.invalid(text)
                }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { throw Self.invalid(text) }
        }
        self.components = components
        description = text
    }

    private static func invalid(_ text: String) -> RouteSimError {
        .usage("--param \(text) is not a parameter path; write it like steps[0].accept_if.confidence.gte or confidence.use_at_least")
    }

    /// `node` with the scalar at this path replaced by `value`; the path must lead to an existing number.
    package func setting(_ value: Double, in node: Node, policy: String) throws -> Node {
        try set(value, in: node, at: components[...], policy: policy)
    }

    private func set(_ value: Double, in node: Node, at rest: ArraySlice<Component>, policy: String) throws -> Node {
        guard let first = rest.first else {
            guard let scalar = node.scalar, DecimalText.double(scalar.string) != nil else {
                throw RouteSimError.usage("--param \(description) of policy \(policy) does not lead to a number")
            }
            return Node("\(value)")
        }
        switch (first, node) {
        case let (.key(key), .mapping(mapping)):
            // A key may hold dots itself (`features.score` in a rule): try the longest key first.
            var keys = [key], after = rest.dropFirst()
            while case let .key(next)? = after.first {
                keys.append(next)
                after = after.dropFirst()
            }
            for count in stride(from: keys.count, through: 1, by: -1) {
                let joined = keys.prefix(count).joined(separator: ".")
                guard let child = mapping[joined] else { continue }
                var copy = mapping
                copy[joined] = try set(value, in: child, at: rest.dropFirst(count), policy: policy)
                return .mapping(copy)
            }
            let known = mapping.keys.compactMap(\.string).joined(separator: ", ")
            throw RouteSimError.usage("--param \(description) is not in policy \(policy): there is no key '\(key)' there (keys there: \(known))")
        case let (.index(index), .sequence(sequence)):
            guard sequence.indices.contains(index) else {
                throw RouteSimError.usage("--param \(description) is not in policy \(policy): there is no item [\(index)] (the list has \(sequence.count))")
            }
            var copy = sequence
            copy[index] = try set(value, in: sequence[index], at: rest.dropFirst(), policy: policy)
            return .sequence(copy)
        case (.key(let key), _):
            throw RouteSimError.usage("--param \(description) is not in policy \(policy): '\(key)' is asked of a value that is not a mapping")
        case (.index(let index), _):
            throw RouteSimError.usage("--param \(description) is not in policy \(policy): [\(index)] is asked of a value that is not a list")
        }
    }
}

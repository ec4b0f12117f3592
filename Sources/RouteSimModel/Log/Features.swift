/// A record's features (docs/log-formats.md): the few its policies test, by name. A short list
/// searched in order rather than a dictionary: a record holds a handful, and the decoder fills
/// the list again for every record, where a dictionary hashed each name at every insert and
/// lookup (docs/performance.md). Two are equal when they hold the same names and values, in
/// any order.
public struct Features: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    private var names: [String] = []
    private var values: [FeatureValue] = []

    public init() {}

    public init(_ features: [String: FeatureValue]) {
        for (name, value) in features { self[name] = value }
    }

    public init(dictionaryLiteral elements: (String, FeatureValue)...) {
        for (name, value) in elements { self[name] = value }
    }

    /// The value of the feature `name`; nil when the record does not give it. Setting nil removes it.
    public subscript(name: String) -> FeatureValue? {
        get {
            guard let index = names.firstIndex(of: name) else { return nil }
            return values[index]
        }
        set {
            let index = names.firstIndex(of: name)
            switch (index, newValue) {
            case let (index?, value?): values[index] = value
            case let (index?, nil):
                names.remove(at: index)
                values.remove(at: index)
            case let (nil, value?):
                names.append(name)
                values.append(value)
            case (nil, nil): break
            }
        }
    }

    public var isEmpty: Bool { names.isEmpty }

    public var count: Int { names.count }

    public mutating func removeAll(keepingCapacity: Bool = false) {
        guard keepingCapacity else { return self = Features() }
        // One by one: for the handful a record holds, `removeAll(keepingCapacity:)` took the
        // general path of replacing a range, 1% of the replay's instructions (docs/performance.md).
        while !names.isEmpty {
            names.removeLast()
            values.removeLast()
        }
    }

    public static func == (left: Features, right: Features) -> Bool {
        left.count == right.count && left.names.indices.allSatisfy { right[left.names[$0]] == left.values[$0] }
    }
}

import Yams

/// A YAML node with the file and key path it came from, so every complaint names file, line and field.
struct YAMLNode {
    let node: Node
    let file: String
    let path: String

    /// Parses every `---`-separated document of a YAML text.
    static func documents(of text: String, file: String) throws -> [YAMLNode] {
        do {
            return try Yams.compose_all(yaml: text).map { YAMLNode(node: $0, file: file, path: "") }
        } catch let error as YamlError {
            throw RouteSimError.invalidInput(file: file, line: Self.line(of: error), field: "", reason: "is not valid YAML: \(Self.problem(of: error))")
        }
    }

    /// Parses a single-document YAML text.
    static func document(of text: String, file: String) throws -> YAMLNode {
        let all = try documents(of: text, file: file)
        guard all.count == 1 else {
            throw RouteSimError.invalidInput(file: file, line: 0, field: "", reason: "must hold exactly one YAML document, found \(all.count)")
        }
        return all[0]
    }

    var line: Int { node.mark?.line ?? 0 }

    func failure(_ reason: String) -> RouteSimError {
        .invalidInput(file: file, line: line, field: path, reason: reason)
    }

    /// The key–value pairs of a mapping, in file order.
    func mapping() throws -> [(key: String, value: YAMLNode)] {
        guard let mapping = node.mapping else { throw failure("must be a mapping (key: value pairs)") }
        return try mapping.map { key, value in
            guard let name = key.string else { throw failure("has a key that is not a string") }
            return (name, YAMLNode(node: value, file: file, path: path.isEmpty ? name : "\(path).\(name)"))
        }
    }

    func optional(_ key: String) throws -> YAMLNode? {
        try mapping().first { $0.key == key }?.value
    }

    func required(_ key: String) throws -> YAMLNode {
        guard let value = try optional(key) else {
            throw RouteSimError.invalidInput(file: file, line: line, field: path.isEmpty ? key : "\(path).\(key)", reason: "is required")
        }
        return value
    }

    /// Refuses keys outside `allowed`, which catches typos such as `modle:`.
    func onlyKeys(_ allowed: Set<String>) throws {
        for (key, value) in try mapping() where !allowed.contains(key) {
            throw value.failure("is not a known key here (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func sequence() throws -> [YAMLNode] {
        guard let sequence = node.sequence else { throw failure("must be a list") }
        return sequence.enumerated().map { index, item in YAMLNode(node: item, file: file, path: "\(path)[\(index)]") }
    }

    func string() throws -> String {
        guard let scalar = node.scalar else { throw failure("must be a text value") }
        return scalar.string
    }

    func double() throws -> Double {
        guard let scalar = node.scalar, let value = Double(scalar.string), value.isFinite else {
            throw failure("must be a finite number")
        }
        return value
    }

    func nonNegativeDouble() throws -> Double {
        let value = try double()
        guard value >= 0 else { throw failure("must be >= 0") }
        return value
    }

    func unitInterval() throws -> Double {
        let value = try double()
        guard (0...1).contains(value) else { throw failure("must be between 0 and 1") }
        return value
    }

    func int() throws -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string) else { throw failure("must be a whole number") }
        return value
    }

    func bool() throws -> Bool {
        switch node.scalar?.string {
        case "true", "True", "yes": return true
        case "false", "False", "no": return false
        default: throw failure("must be true or false")
        }
    }

    /// A scalar or a list of scalars, as strings.
    func stringList() throws -> [String] {
        if node.sequence != nil { return try sequence().map { try $0.string() } }
        return [try string()]
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default:
            return 0
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }
}

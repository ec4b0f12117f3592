import Foundation
import Yams

/// A YAML node with the file and key path it came from, so every complaint names file, line and field.
package struct YAMLNode {
    package let node: Node
    package let file: String
    package let path: String

    /// Parses every `---`-separated document of a YAML text.
    /// An error in any document stops the reading: a broken document is never skipped.
    package static func documents(of text: String, file: String) throws -> [YAMLNode] {
        do {
            // Yams's `compose_all` sequence ends quietly at an error; the parser reports it.
            let parser = try Parser(yaml: text)
            var documents: [YAMLNode] = []
            while let node = try parser.nextRoot() { documents.append(YAMLNode(node: node, file: file, path: "")) }
            return documents
        } catch let error as YamlError {
            let line = Self.line(of: error, in: text)
            var reason = "is not valid YAML: \(Self.problem(of: error))"
            let lineText = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(line - 1).first ?? ""
            if lineText.contains("\t") && !reason.contains("tabs") { reason += " (the line holds a tab: indent with spaces, YAML does not allow tabs there)" }
            // The key written on that line, when there is one, names the field.
            let key = lineText.split(separator: ":", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "- \"'"))
            } ?? ""
            let field = lineText.contains(":") && !key.isEmpty && !key.contains(" ") ? key : ""
            throw RouteSimError.invalidInput(file: file, line: line, field: field, reason: reason)
        }
    }

    /// Parses a single-document YAML text.
    package static func document(of text: String, file: String) throws -> YAMLNode {
        let all = try documents(of: text, file: file)
        guard all.count == 1 else {
            let line = all.count > 1 ? all[1].line : 1
            throw RouteSimError.invalidInput(file: file, line: line, field: "",
                                             reason: all.isEmpty ? "is empty; it must hold one YAML document"
                                                 : "starts a second YAML document; this file must hold exactly one")
        }
        return all[0]
    }

    package var line: Int { node.mark?.line ?? 0 }

    package func failure(_ reason: String) -> RouteSimError {
        .invalidInput(file: file, line: line, field: path, reason: reason)
    }

    /// The key–value pairs of a mapping, in file order.
    package func mapping() throws -> [(key: String, value: YAMLNode)] {
        guard let mapping = node.mapping else { throw failure("must be a mapping (key: value pairs)") }
        return try mapping.map { key, value in
            guard let name = key.string else { throw failure("has a key that is not a string") }
            return (name, YAMLNode(node: value, file: file, path: path.isEmpty ? name : "\(path).\(name)"))
        }
    }

    package func optional(_ key: String) throws -> YAMLNode? {
        try mapping().first { $0.key == key }?.value
    }

    package func required(_ key: String) throws -> YAMLNode {
        guard let value = try optional(key) else {
            throw RouteSimError.invalidInput(file: file, line: line, field: path.isEmpty ? key : "\(path).\(key)", reason: "is required")
        }
        return value
    }

    /// Refuses keys outside `allowed`, which catches typos such as `modle:`.
    package func onlyKeys(_ allowed: Set<String>) throws {
        for (key, value) in try mapping() where !allowed.contains(key) {
            throw value.failure("is not a known key here (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    package func sequence() throws -> [YAMLNode] {
        guard let sequence = node.sequence else { throw failure("must be a list") }
        return sequence.enumerated().map { index, item in YAMLNode(node: item, file: file, path: "\(path)[\(index)]") }
    }

    package func string() throws -> String {
        guard let scalar = node.scalar else { throw failure("must be a text value") }
        return scalar.string
    }

    /// A name (of a policy, a model): non-empty and printable, since names reach reports,
    /// charts and file names.
    package func name() throws -> String {
        let text = try string()
        guard let problem = Self.nameProblem(text) else { return text }
        throw failure(problem)
    }

    /// Why `text` cannot be a name, or nil when it can.
    package static func nameProblem(_ text: String) -> String? {
        if text.utf8.withContiguousStorageIfAvailable({ isPlainName(UnsafeRawBufferPointer($0)) }) == true { return nil }
        // Blank: only spaces (Unicode's space separators) and tabs, as Foundation's `.whitespaces`.
        // (A first byte that is a printable ASCII character other than a space settles it at
        // once: this runs for every record's category.)
        let startsPrintable = text.utf8.first.map { $0 > 0x20 && $0 < 0x7F } ?? false
        if !startsPrintable, text.unicodeScalars.allSatisfy({ $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }) {
            return "must not be empty"
        }
        if text.hasControlCharacters {
            return "must be printable: no newlines, tabs or other control characters"
        }
        return nil
    }

    /// Whether `bytes` are a name at a glance, without being made a `String`: printable ASCII,
    /// the first not a space (`nameProblem` is nil for them; false says nothing).
    @inline(__always)
    package static func isPlainName(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first, first > 0x20, first < 0x7F else { return false }
        return !bytes.contains { $0 < 0x20 || $0 > 0x7E }
    }

    package func double() throws -> Double {
        guard let scalar = node.scalar, let value = DecimalText.double(scalar.string) else {
            throw failure("must be a finite decimal number, got '\(node.scalar?.string ?? "a list or mapping")'")
        }
        return value
    }

    package func nonNegativeDouble() throws -> Double {
        let value = try double()
        guard value >= 0 else { throw failure("must be >= 0") }
        return value
    }

    /// A number in [0, `limit`]: larger ones are unit mistakes (docs/log-formats.md, "Limits").
    package func bounded(_ limit: Double, _ limitText: String) throws -> Double {
        let value = try nonNegativeDouble()
        guard value <= limit else { throw failure("must be at most \(limitText) (see docs/log-formats.md, Limits)") }
        return value
    }

    /// A price or cost in US dollars (per call, or per million tokens).
    package func dollars() throws -> Double { try bounded(Limits.maxCallCostUSD, "$1,000,000") }

    /// A latency in milliseconds.
    package func milliseconds() throws -> Double { try bounded(Limits.maxLatencyMs, "1e10 ms") }

    package func unitInterval() throws -> Double {
        let value = try double()
        guard (0...1).contains(value) else { throw failure("must be between 0 and 1") }
        return value
    }

    package func int() throws -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string), abs(value) <= 1 << 53 else { throw failure("must be a whole number") }
        return value
    }

    package func bool() throws -> Bool {
        switch node.scalar?.string {
        case "true", "True", "yes": return true
        case "false", "False", "no": return false
        default: throw failure("must be true or false")
        }
    }

    /// A scalar or a list of scalars, as strings.
    package func stringList() throws -> [String] {
        if node.sequence != nil { return try sequence().map { try $0.string() } }
        return [try string()]
    }

    private static func line(of error: YamlError, in text: String) -> Int {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        case let .duplicatedKeysInMapping(_, context):
            return context.mark.line
        case let .reader(_, offset, _, _):
            return 1 + text.utf8.prefix(offset ?? 0).filter { $0 == 10 }.count
        default:
            return 1
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _):
            return problem + (problem.contains("tab") ? " (indent with spaces; YAML does not allow tabs there)" : "")
        case let .duplicatedKeysInMapping(duplicates, _):
            return "the key \(duplicates.joined(separator: ", ")) is given twice in one mapping"
        case let .reader(problem, _, _, _):
            return problem
        default:
            return "\(error)"
        }
    }

    package init(node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }
}

/// A JSON document with ordered keys, rendered the same way every time (for byte-identical output).
public indirect enum JSONValue: Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null

    /// A number, or null when it is missing or not finite.
    package static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    package static func interval(_ range: ClosedRange<Double>?) -> JSONValue {
        guard let range else { return .null }
        return .array([.number(range.lowerBound), .number(range.upperBound)])
    }

    /// On one line, without spaces (for JSONL).
    package func compact() -> String {
        switch self {
        case let .object(members):
            return "{" + members.map { key, value in
                var out = ""
                Self.quote(key, into: &out)
                return out + ":" + value.compact()
            }.joined(separator: ",") + "}"
        case let .array(items):
            return "[" + items.map { $0.compact() }.joined(separator: ",") + "]"
        default:
            var out = ""
            write(to: &out, indent: 0)
            return out
        }
    }

    /// Two-space indented text with a final newline.
    public func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out += "\n"
        return out
    }

    private func write(to out: inout String, indent: Int) {
        var pad: String { String(repeating: "  ", count: indent + 1) }
        var close: String { String(repeating: "  ", count: indent) }
        switch self {
        case let .object(members):
            guard !members.isEmpty else { return out += "{}" }
            let pad = pad
            out += "{\n"
            for (index, (key, value)) in members.enumerated() {
                out += pad
                Self.quote(key, into: &out)
                out += ": "
                value.write(to: &out, indent: indent + 1)
                out += index == members.count - 1 ? "\n" : ",\n"
            }
            out += close + "}"
        case let .array(items):
            guard !items.isEmpty else { return out += "[]" }
            if items.allSatisfy(\.isScalar) {
                out += "["
                for (index, item) in items.enumerated() {
                    if index > 0 { out += ", " }
                    item.write(to: &out, indent: indent)
                }
                out += "]"
                return
            }
            out += "[\n"
            let pad = pad
            for (index, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 1)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += close + "]"
        case let .string(text): Self.quote(text, into: &out)
        case let .number(value): out += value.isFinite ? "\(value)" : "null"
        case let .integer(value): out += "\(value)"
        case let .bool(value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }

    package static func quote(_ text: String, into out: inout String) {
        out += "\""
        // Most text needs no escape: appended whole, not a scalar at a time.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

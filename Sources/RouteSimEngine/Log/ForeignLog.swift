import RouteSimModel
import RouteSimStatistics
import CRecordParser
import Foundation

/// Reads formats other than the canonical ones (OpenAI Batch, LiteLLM, OpenTelemetry GenAI):
/// each JSON line (or the whole file, for one OTLP document) becomes observations, and the
/// observations of one request are joined into one record (`join`, in CallJoin.swift).
package enum ForeignLog {
    package typealias Converter = (_ object: [String: Any]) throws(FieldProblem) -> [Observation]

    /// An input item: its line, its text, and the object it parsed to, or why it is none.
    package typealias Item = (line: Int, raw: String, object: Result<[String: Any], FieldProblem>)

    /// The non-blank lines of a JSON-lines file. A file holding one JSON object over many lines
    /// (a pretty-printed OTLP export) is that one item; with `arrays`, a file holding one JSON
    /// array of objects (what LiteLLM's `/spend/logs` returns) is its elements, each reported at
    /// line 1; other multi-line JSON gets one message saying what the file is and how to convert
    /// it, not an error per line.
    package static func lines(path: String, arrays: Bool = false) throws -> [Item] {
        let bytes = try CSVLogReader.readAll(path)
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            try JSONLinesShape.check(bytes[...], file: path)
        } catch {
            let document = try? JSONSerialization.jsonObject(with: Data(bytes))
            if arrays, let elements = document as? [[String: Any]] {
                return elements.map { element in
                    let raw = (try? JSONSerialization.data(withJSONObject: element, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
                    return (1, raw ?? "", .success(element))
                }
            }
            guard let object = document as? [String: Any] else { throw error }
            return [(1, text, .success(object))]
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { offset, line in
            let content = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !content.isEmpty else { return nil }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(content.utf8))) as? [String: Any] else {
                let (field, reason) = diagnose(content)
                return (offset + 1, content, .failure(FieldProblem(field: field, reason: reason)))
            }
            return (offset + 1, content, .success(object))
        }
    }

    /// The rows of a CSV export as items, each row an object of its columns' texts (a row with
    /// more or fewer fields than the header is a problem).
    package static func csvItems(path: String) throws -> [Item] {
        var table = CSVTable(bytes: try CSVLogReader.readAll(path), file: path)
        guard let header = try table.next() else { return [] }
        let names = (0..<header.count).map { String(decoding: table.field($0, of: header), as: UTF8.self) }
        var items: [Item] = []
        while let row = try table.next() {
            let raw = String(decoding: table.bytes[row.start..<row.end], as: UTF8.self)
            guard row.count == names.count else {
                let problem = FieldProblem(field: "", reason: "has \(row.count) fields where the header has \(names.count) (a field holding a comma must be quoted)")
                items.append((row.line, raw, .failure(problem)))
                continue
            }
            var value: [String: Any] = [:]
            for (index, name) in names.enumerated() { value[name] = String(decoding: table.field(index, of: row), as: UTF8.self) }
            items.append((row.line, raw, .success(value)))
        }
        return items
    }

    /// Every model the items name, as an unpriced catalog: what `ingest` needs to read them without one.
    package static func modelsNamed(_ items: [Item], file: String, converter: Converter) -> ModelCatalog {
        var names: [String] = []
        for item in items {
            guard case let .success(object) = item.object, let observations = try? converter(object) else { continue }
            for observation in observations where !observation.model.isEmpty && !names.contains(undated(observation.model)) { names.append(undated(observation.model)) }
        }
        return ModelCatalog(models: names.map { ModelSpec(name: $0, tier: 0) }, file: file)
    }

    /// Where and why a line is not a JSON object, naming the field that breaks it.
    package static func diagnose(_ line: String) -> (field: String, reason: String) {
        var text = line
        return text.withUTF8 { bytes in
            var field: UnsafePointer<CChar>?, message: UnsafePointer<CChar>?
            let found = bytes.withMemoryRebound(to: CChar.self) { rp_diagnose($0.baseAddress, $0.count, &field, &message) }
            guard found == 1, let field, let message else { return ("", "is not a JSON object (the line may be truncated)") }
            return (String(cString: field), String(cString: message))
        }
    }

    /// `gpt-4o-mini-2024-07-18` → `gpt-4o-mini`: providers answer with dated snapshots of a model.
    package static func undated(_ model: String) -> String {
        model.replacingOccurrences(of: #"-\d{4}-\d{2}-\d{2}$"#, with: "", options: .regularExpression)
    }

    /// A value as text (a CSV cell, or a JSON string or number), nil when absent, null or empty.
    package static func text(_ value: Any?) -> String? {
        guard let value = given(value) else { return nil }
        let string = value as? String ?? "\(value)"
        return string.isEmpty ? nil : string
    }

    /// A JSON value, nil when absent or `null` (payloads write both for "not given").
    package static func given(_ value: Any?) -> Any? {
        value is NSNull ? nil : value
    }

    // Typed field access that names the field when it is wrong.
    package static func object(_ value: Any?, _ field: String) throws(FieldProblem) -> [String: Any] {
        guard let object = value as? [String: Any] else { throw FieldProblem(field: field, reason: "must be an object") }
        return object
    }

    package static func string(_ value: Any?, _ field: String) throws(FieldProblem) -> String {
        guard let text = value as? String, !text.isEmpty else { throw FieldProblem(field: field, reason: value == nil ? "is required" : "must be a non-empty string") }
        return text
    }

    /// A date string — RFC 3339, or `2026-10-01 09:15:02.101` in UTC as databases export them — in seconds since the epoch.
    package static func date(_ value: Any?, _ field: String) throws(FieldProblem) -> Double {
        guard let text = given(value) as? String else { throw FieldProblem(field: field, reason: value == nil ? "is required" : "must be a date string") }
        guard let seconds = LiteLLMSpendLogs.seconds(text) else {
            throw FieldProblem(field: field, reason: "must be a date like 2026-10-01T09:15:02.101Z or 2026-10-01 09:15:02.101 (UTC), got '\(text)'")
        }
        return seconds
    }

    package static func number(_ value: Any?, _ field: String) throws(FieldProblem) -> Double {
        if let text = value as? String, let number = Double(text) { return number }  // OTLP writes 64-bit integers as strings
        guard let number = (value as? NSNumber)?.doubleValue, number.isFinite else {
            throw FieldProblem(field: field, reason: value == nil ? "is required" : "must be a number")
        }
        return number
    }

    /// A time in nanoseconds since the epoch as a whole number: OTLP writes them as strings of
    /// 19 digits, more than a double holds exactly, so differences are taken in integers.
    package static func nanoseconds(_ value: Any?, _ field: String) throws(FieldProblem) -> Int64 {
        if let text = value as? String, let whole = Int64(text), whole >= 0 { return whole }
        let number = try number(value, field)
        guard number >= 0, number < 9.2e18, number == number.rounded() else {
            throw FieldProblem(field: field, reason: "must be a whole number of nanoseconds since 1970")
        }
        return Int64(number)
    }

    package static func count(_ value: Any?, _ field: String) throws(FieldProblem) -> Int {
        let value = try number(value, field)
        guard value >= 0, value == value.rounded() else { throw FieldProblem(field: field, reason: "must be a whole number >= 0") }
        // How large a count may be is a rule of every record (`RecordRules`); here it need only fit.
        guard value <= Limits.maxExactWhole else { throw FieldProblem(field: field, reason: "is too large to be counted exactly (at most 2^53)") }
        return Int(value)
    }
}

import RouteSimModel
import RouteSimStatistics
import CRecordParser
import Foundation

/// One model call read from a log in someone else's format, before calls of one request are joined.
package struct Observation {
    /// What joins calls into one request (a trace id, a custom id).
    package var request: String
    package var timestamp: Double
    /// Input tokens excluding none: cached tokens are part of them (sources that count them apart add them in).
    package var inputTokens: Int
    package var cachedInputTokens: Int
    package var cacheWriteInputTokens = 0
    package var category: String?
    package var model: String
    package var outcome: Outcome
}

/// Reads formats other than the canonical ones (OpenAI Batch, LiteLLM, OpenTelemetry GenAI):
/// each JSON line (or the whole file, for one OTLP document) becomes observations, and the
/// observations of one request are joined into one record in order of first appearance.
package enum ForeignLog {
    package typealias Converter = (_ object: [String: Any]) throws(FieldProblem) -> [Observation]

    /// An input item: its line, its text, and the object it parsed to (nil: it is not a JSON object).
    package typealias Item = (line: Int, raw: String, object: [String: Any]?)

    /// The non-blank lines of a JSON-lines file.
    package static func lines(path: String) throws -> [Item] {
        let text = String(decoding: try CSVLogReader.readAll(path), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { offset, line in
            let content = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !content.isEmpty else { return nil }
            return (offset + 1, content, (try? JSONSerialization.jsonObject(with: Data(content.utf8))) as? [String: Any])
        }
    }

    /// Every model the items name, as an unpriced catalog: what `ingest` needs to read them without one.
    package static func modelsNamed(_ items: [Item], file: String, converter: Converter) -> ModelCatalog {
        var names: [String] = []
        for item in items {
            guard let object = item.object, let observations = try? converter(object) else { continue }
            for observation in observations where !names.contains(undated(observation.model)) { names.append(undated(observation.model)) }
        }
        return ModelCatalog(models: names.map { ModelSpec(name: $0, tier: 0) }, file: file)
    }

    /// Converts the items and joins the calls of each request into one record.
    package static func join(_ items: [Item], path: String, catalog: ModelCatalog, converter: Converter) -> LogChunk {
        var order: [String] = [], byRequest: [String: (record: Record, raw: String)] = [:]
        var problems: [RecordProblem] = [], failed: Set<String> = []
        for (number, content, parsed) in items {
            func reject(_ field: String, _ reason: String) {
                problems.append(RecordProblem(file: path, line: number, field: field, reason: reason, raw: content))
            }
            guard let object = parsed else {
                let (field, reason) = Self.diagnose(content)
                reject(field, reason)
                continue
            }
            let observations: [Observation]
            do {
                observations = try converter(object)
            } catch {
                reject(error.field, error.reason)
                continue
            }
            for observation in observations {
                guard !failed.contains(observation.request) else { continue }
                if let (field, problem) = [("model", observation.model), ("category", observation.category ?? "-")]
                    .lazy.compactMap({ name, text in YAMLNode.nameProblem(text).map { (name, $0) } }).first {
                    reject(field, problem)
                    failed.insert(observation.request)
                    byRequest[observation.request] = nil
                    continue
                }
                guard let model = catalog.index(of: observation.model) ?? catalog.index(of: Self.undated(observation.model)) else {
                    reject("model", "model '\(observation.model)' is not in the catalog \(catalog.file) (add it there with its prices)")
                    failed.insert(observation.request)
                    byRequest[observation.request] = nil
                    continue
                }
                if var entry = byRequest[observation.request] {
                    guard entry.record.outcomes[model] == nil else {
                        reject("model", "request '\(observation.request)' has two calls to model '\(observation.model)'")
                        continue
                    }
                    entry.record.outcomes[model] = observation.outcome
                    entry.record.timestamp = min(entry.record.timestamp, observation.timestamp)
                    entry.raw += "\n" + content
                    byRequest[observation.request] = entry
                } else {
                    var outcomes = [Outcome?](repeating: nil, count: catalog.count)
                    outcomes[model] = observation.outcome
                    order.append(observation.request)
                    var record = Record(id: observation.request, line: number, timestamp: observation.timestamp,
                                        inputTokens: observation.inputTokens, cachedInputTokens: observation.cachedInputTokens,
                                        category: observation.category, outcomes: outcomes)
                    record.cacheWriteInputTokens = observation.cacheWriteInputTokens
                    byRequest[observation.request] = (record, content)
                }
            }
        }
        let kept = order.compactMap { byRequest[$0] }
        return LogChunk(file: path, firstLine: 1, content: .records(kept.map(\.record), raw: kept.map(\.raw), problems: problems))
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

    // Typed field access that names the field when it is wrong.
    package static func object(_ value: Any?, _ field: String) throws(FieldProblem) -> [String: Any] {
        guard let object = value as? [String: Any] else { throw FieldProblem(field: field, reason: "must be an object") }
        return object
    }

    package static func string(_ value: Any?, _ field: String) throws(FieldProblem) -> String {
        guard let text = value as? String, !text.isEmpty else { throw FieldProblem(field: field, reason: value == nil ? "is required" : "must be a non-empty string") }
        return text
    }

    package static func number(_ value: Any?, _ field: String) throws(FieldProblem) -> Double {
        if let text = value as? String, let number = Double(text) { return number }  // OTLP writes 64-bit integers as strings
        guard let number = (value as? NSNumber)?.doubleValue, number.isFinite else {
            throw FieldProblem(field: field, reason: value == nil ? "is required" : "must be a number")
        }
        return number
    }

    package static func count(_ value: Any?, _ field: String) throws(FieldProblem) -> Int {
        let value = try number(value, field)
        guard value >= 0, value == value.rounded() else { throw FieldProblem(field: field, reason: "must be a whole number >= 0") }
        // How large a count may be is a rule of every record (`RecordRules`); here it need only fit.
        guard value <= Limits.maxExactWhole else { throw FieldProblem(field: field, reason: "is too large to be counted exactly (at most 2^53)") }
        return Int(value)
    }
}

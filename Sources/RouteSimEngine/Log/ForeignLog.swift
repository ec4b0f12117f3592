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
    /// The step the call belongs to, when its source names one (docs/log-formats.md, "Steps"):
    /// a request any of whose calls names a step becomes a workflow, its other calls named by
    /// `spanName`.
    package var step: String?
    package var spanName: String?
    /// When the call ended (seconds since the epoch), for the order of steps.
    package var end: Double?
}

/// Reads formats other than the canonical ones (OpenAI Batch, LiteLLM, OpenTelemetry GenAI):
/// each JSON line (or the whole file, for one OTLP document) becomes observations, and the
/// observations of one request are joined into one record in order of first appearance.
package enum ForeignLog {
    package typealias Converter = (_ object: [String: Any]) throws(FieldProblem) -> [Observation]

    /// An input item: its line, its text, and the object it parsed to (nil: it is not a JSON object).
    package typealias Item = (line: Int, raw: String, object: [String: Any]?)

    /// The non-blank lines of a JSON-lines file. A file holding one JSON object over many lines
    /// (a pretty-printed OTLP export) is that one item; a JSON array or other multi-line JSON gets
    /// one message saying what the file is and how to convert it, not an error per line.
    package static func lines(path: String) throws -> [Item] {
        let bytes = try CSVLogReader.readAll(path)
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            try JSONLinesShape.check(bytes[...], file: path)
        } catch {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { throw error }
            return [(1, text, object)]
        }
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
        var calls: [String: [(call: Observation, model: Int, line: Int, raw: String)]] = [:]
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
                guard let model = catalog.index(matching: observation.model) else {
                    reject("model", catalog.noMatchReason(observation.model))
                    failed.insert(observation.request)
                    byRequest[observation.request] = nil
                    continue
                }
                if calls[observation.request] == nil { order.append(observation.request) }
                calls[observation.request, default: []].append((observation, model, number, content))
            }
        }
        for request in order where !failed.contains(request) {
            let joined = calls[request]!
            if joined.contains(where: { $0.call.step != nil }) {
                byRequest[request] = (workflow(request, joined, catalog: catalog), joined.map(\.raw).joined(separator: "\n"))
                continue
            }
            for (observation, model, number, content) in joined {
                if var entry = byRequest[request] {
                    guard entry.record.outcomes[model] == nil else {
                        problems.append(RecordProblem(file: path, line: number, field: "model",
                                                      reason: "request '\(request)' has two calls to model '\(observation.model)'", raw: content))
                        continue
                    }
                    entry.record.outcomes[model] = observation.outcome
                    entry.record.timestamp = min(entry.record.timestamp, observation.timestamp)
                    entry.raw += "\n" + content
                    byRequest[request] = entry
                } else {
                    var outcomes = [Outcome?](repeating: nil, count: catalog.count)
                    outcomes[model] = observation.outcome
                    var record = Record(id: request, line: number, timestamp: observation.timestamp,
                                        inputTokens: observation.inputTokens, cachedInputTokens: observation.cachedInputTokens,
                                        category: observation.category, outcomes: outcomes)
                    record.cacheWriteInputTokens = observation.cacheWriteInputTokens
                    byRequest[request] = (record, content)
                }
            }
        }
        let kept = order.compactMap { byRequest[$0] }
        return LogChunk(file: path, firstLine: 1, content: .records(kept.map(\.record), raw: kept.map(\.raw), problems: problems))
    }

    /// The calls of a request that names steps as one record with steps (docs/log-formats.md,
    /// "Steps"): calls in order of start; a call joins the latest step of its name unless that
    /// step already has its model (then it starts a further round); a step waits for the steps
    /// that ended before it started.
    private static func workflow(_ request: String, _ calls: [(call: Observation, model: Int, line: Int, raw: String)],
                                 catalog: ModelCatalog) -> Record {
        let sorted = calls.enumerated().sorted { ($0.element.call.timestamp, $0.offset) < ($1.element.call.timestamp, $1.offset) }.map(\.element)
        var steps: [Step] = [], spans: [(start: Double, end: Double)] = []
        for (call, model, _, _) in sorted {
            let name = call.step ?? call.spanName ?? call.model
            let end = call.end ?? call.timestamp
            if let index = steps.lastIndex(where: { $0.name == name }), steps[index].outcomes[model] == nil {
                steps[index].outcomes[model] = call.outcome
                spans[index] = (min(spans[index].start, call.timestamp), max(spans[index].end, end))
                continue
            }
            var step = Step(name: name, after: [], inputTokens: call.inputTokens, cachedInputTokens: call.cachedInputTokens,
                            round: steps.filter { $0.name == name }.count + 1, outcomes: Array(repeating: nil, count: catalog.count))
            step.outcomes[model] = call.outcome
            steps.append(step)
            spans.append((call.timestamp, end))
        }
        for index in steps.indices {
            steps[index].after = steps.indices.filter { $0 < index && spans[$0].end <= spans[index].start }
        }
        var record = Record(id: request, line: calls[0].line, timestamp: spans.map(\.start).min() ?? 0, inputTokens: steps.first?.inputTokens ?? 0,
                            category: calls.lazy.compactMap(\.call.category).first, outcomes: Array(repeating: nil, count: catalog.count))
        record.steps = steps
        return record
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

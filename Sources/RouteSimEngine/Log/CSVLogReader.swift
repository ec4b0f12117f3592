import RouteSimModel
import RouteSimStatistics
import Foundation

/// Reads a long-form CSV log (docs/log-formats.md): one row per request × model, rows of a request
/// anywhere in the file. Grouping needs the whole file, so it is held in memory.
package enum CSVLogReader {
    package static let requiredColumns = ["id", "ts", "input_tokens", "model", "success"]

    /// The file's requests as one chunk of records, in order of first appearance, and its problems.
    package static func read(path: String, catalog: ModelCatalog) throws -> LogChunk {
        try read(bytes: try readAll(path), path: path, catalog: catalog)
    }

    /// The requests of a CSV text already in memory (`path` names it in messages).
    package static func read(bytes: [UInt8], path: String, catalog: ModelCatalog) throws -> LogChunk {
        var table = CSVTable(bytes: bytes, file: path)
        guard let header = try table.next() else {
            throw RouteSimError.invalidInput(file: path, line: 1, field: "", reason: "the file is empty; a CSV log needs a header row")
        }
        var column: [String: Int] = [:]
        for index in 0..<header.count {
            let name = String(decoding: table.field(index, of: header), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard column[name] == nil else {
                throw RouteSimError.invalidInput(file: path, line: header.line, field: name,
                                                 reason: "the header names this column twice (columns \(column[name]! + 1) and \(index + 1)); which one is meant is unclear")
            }
            column[name] = index
        }
        for name in requiredColumns where column[name] == nil {
            throw RouteSimError.invalidInput(file: path, line: header.line, field: name,
                                             reason: "the header lacks this required column (columns: \(requiredColumns.joined(separator: ",")),…)")
        }
        var builder = Builder(path: path, catalog: catalog, column: column)
        while let row = try table.next() {
            builder.add(row, of: table)
        }
        return builder.chunk()
    }

    /// A catalog of every model the file names (unpriced): what ingest needs to read it without one.
    package static func modelsNamed(in path: String) throws -> ModelCatalog {
        var table = CSVTable(bytes: try readAll(path), file: path)
        guard let header = try table.next() else { return ModelCatalog(models: [], file: path) }
        let column = (0..<header.count).first { String(decoding: table.field($0, of: header), as: UTF8.self).trimmingCharacters(in: .whitespaces) == "model" }
        var names: [String] = []
        while let row = try table.next() {
            guard let column, column < row.count else { continue }
            let name = String(decoding: table.field(column, of: row), as: UTF8.self)
            if !name.isEmpty && !names.contains(name) { names.append(name) }
        }
        return ModelCatalog(models: names.map { ModelSpec(name: $0, tier: 0) }, file: path)
    }

    package static func readAll(_ path: String) throws -> [UInt8] {
        let reader = try ChunkedFileReader(path: path)
        var bytes: [UInt8] = []
        while let chunk = try reader.next() {
            if case let .jsonLines(chunkBytes, length) = chunk.content { bytes.append(contentsOf: chunkBytes[..<length]) }
        }
        return bytes
    }

    /// Groups rows into records, keeping the first problem of each request.
    private struct Builder {
        package let path: String
        package let catalog: ModelCatalog
        package let column: [String: Int]
        package var order: [String] = []
        package var records: [String: Record] = [:]
        package var raw: [String: String] = [:]
        package var problems: [String: RecordProblem] = [:]
        /// Per request with steps, each step's `after` names as its first row gave them (nil: none given).
        package var stepAfter: [String: [[String]?]] = [:]

        package init(path: String, catalog: ModelCatalog, column: [String: Int]) {
            self.path = path
            self.catalog = catalog
            self.column = column
        }

        package mutating func add(_ row: CSVTable.Row, of table: CSVTable) {
            let id = value("id", row, table) ?? ""
            if records[id] == nil && problems[id] == nil { order.append(id) }
            let text = String(decoding: table.bytes[row.start..<row.end], as: UTF8.self)
            raw[id, default: ""] += (raw[id] == nil ? "" : "\n") + text
            guard problems[id] == nil else { return }
            do {
                try merge(row, of: table, id: id, text: text)
            } catch {
                problems[id] = error
                records[id] = nil
            }
        }

        package func chunk() -> LogChunk {
            var built: [Record] = []
            var texts: [String] = []
            var found: [RecordProblem] = []
            for id in order {
                if var problem = problems[id] {
                    problem.raw = raw[id] ?? problem.raw
                    found.append(problem)
                } else if var record = records[id] {
                    do throws(FieldProblem) {
                        try resolveAfter(&record)
                    } catch {
                        found.append(RecordProblem(file: path, line: record.line, field: error.field.hasSuffix(".after") ? "after" : error.field,
                                                   reason: error.reason, raw: raw[id] ?? ""))
                        continue
                    }
                    built.append(record)
                    texts.append(raw[id] ?? "")
                }
            }
            return LogChunk(file: path, firstLine: 2, content: .records(built, raw: texts, problems: found))
        }

        /// Each step's dependencies from its `after` names: by default the step before it.
        private func resolveAfter(_ record: inout Record) throws(FieldProblem) {
            let names = stepAfter[record.id] ?? []
            for index in record.steps.indices {
                if let given = names[index] {
                    record.steps[index].after = try Step.dependencies(given, of: index, in: record.steps)
                } else {
                    record.steps[index].after = index > 0 ? [index - 1] : []
                }
            }
        }

        /// A field's text, or nil when the column is absent or the field empty. Fields of up to
        /// 15 bytes (numbers, names, flags) become Swift small strings, which are not allocated.
        private func value(_ name: String, _ row: CSVTable.Row, _ table: CSVTable) -> String? {
            guard let index = column[name], index < row.count else { return nil }
            let bytes = table.field(index, of: row)
            return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
        }

        private mutating func merge(_ row: CSVTable.Row, of table: CSVTable, id: String, text: String) throws(RecordProblem) {
            func fail(_ field: String, _ reason: String) -> RecordProblem {
                RecordProblem(file: path, line: row.line, field: field, reason: reason, raw: text)
            }
            func value(_ name: String) -> String? { self.value(name, row, table) }
            guard row.count == column.count else {
                let names = column.sorted { $0.value < $1.value }.map(\.key)
                let field = row.count < names.count ? names[row.count] : "column \(names.count + 1)"
                throw fail(field, row.count < names.count
                    ? "is missing: the row has \(row.count) fields, the header \(names.count) (a line cut short, or an unquoted comma?)"
                    : "is one too many: the row has \(row.count) fields, the header \(names.count) (a comma inside a value must be quoted)")
            }
            for (name, index) in column where table.field(index, of: row).contains(0) {
                throw fail(name, "holds a NUL byte (the file may be binary or damaged)")
            }
            guard !id.isEmpty else { throw fail("id", "is required") }
            func number(_ name: String, _ check: (Double) -> Bool, _ rule: String) throws(RecordProblem) -> Double? {
                guard let text = value(name) else { return nil }
                guard let number = DecimalText.double(text), check(number) else { throw fail(name, "must be \(rule), got '\(text)'") }
                return number
            }
            // Ranges and sums are rules of every record (`RecordRules`): here a count need only be
            // a whole number a double holds exactly.
            func count(_ name: String) throws(RecordProblem) -> Int? {
                try number(name, { $0 >= 0 && $0 == $0.rounded() && $0 <= Limits.maxExactWhole }, "a whole number >= 0").map { Int($0) }
            }
            func decimal(_ name: String) throws(RecordProblem) -> Double? { try number(name, { _ in true }, "a decimal number") }
            guard let tsText = value("ts") else { throw fail("ts", "is required") }
            guard let seconds = parseRFC3339(tsText) else {
                throw fail("ts", "must be an RFC 3339 timestamp such as 2026-10-01T12:00:00Z, got '\(tsText)'")
            }
            guard let input = try count("input_tokens") else { throw fail("input_tokens", "is required") }
            let output = try count("output_tokens")
            let cached = try count("cached_input_tokens") ?? 0
            let written = try count("cache_write_input_tokens") ?? 0
            guard let modelName = value("model") else { throw fail("model", "is required") }
            do throws(FieldProblem) { try RecordRules.name(modelName, "model") } catch { throw fail(error.field, error.reason) }
            guard let model = catalog.index(matching: modelName) else { throw fail("model", catalog.noMatchReason(modelName)) }
            guard let successText = value("success") else { throw fail("success", "is required") }
            let success: Bool
            switch successText.lowercased() {
            case "true", "1": success = true
            case "false", "0": success = false
            default: throw fail("success", "must be true or false, got '\(successText)'")
            }
            var outcome = Outcome(
                success: success,
                quality: try decimal("quality"), latencyMs: try decimal("latency_ms"), outputTokens: output,
                costUSD: try decimal("cost_usd"), confidence: try decimal("confidence"))
            outcome.reasoningTokens = try count("reasoning_tokens")
            // Checked row by row, so that a message names the row; the request's own fields are
            // the same on every row and checked once, with the request.
            do throws(FieldProblem) { try RecordRules.check(outcome, recordOutputTokens: nil) } catch { throw fail(error.field, error.reason) }
            let category = value("category")
            if let stepName = value("step") {
                let after = value("after").map { $0.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) } }
                try mergeStep(stepName, line: row.line, text: text, id: id, after: after, seconds: seconds, input: input, cached: cached,
                              category: category, model: model, modelName: modelName, outcome: outcome, round: try count("round") ?? 1)
                return
            }
            if records[id].map({ !$0.steps.isEmpty }) == true {
                throw fail("step", "request '\(id)' mixes rows with a step and rows without one")
            }
            if var record = records[id] {
                guard record.timestamp == seconds, record.inputTokens == input, record.category == category,
                      record.cachedInputTokens == cached, record.cacheWriteInputTokens == written else {
                    throw fail("", "request '\(id)' has rows that disagree on ts, input_tokens, cached or cache-write tokens, or category (first row: line \(record.line))")
                }
                guard record.outcomes[model] == nil else { throw fail("model", "request '\(id)' has two rows for model '\(modelName)'") }
                record.outcomes[model] = outcome
                records[id] = record
            } else {
                var outcomes = [Outcome?](repeating: nil, count: catalog.count)
                outcomes[model] = outcome
                var record = Record(id: id, line: row.line, timestamp: seconds, inputTokens: input, outputTokens: nil,
                                    cachedInputTokens: cached, category: category, outcomes: outcomes)
                record.cacheWriteInputTokens = written
                records[id] = record
            }
        }

        /// A row of one step (the `step` column, docs/log-formats.md "Long CSV"): the step is
        /// found by name and `round`, or added after the request's others; its rows agree on
        /// `input_tokens`, `cached_input_tokens` and `after`, the request's on `ts` and `category`.
        private mutating func mergeStep(_ name: String, line: Int, text: String, id: String, after: [String]?, seconds: Double,
                                        input: Int, cached: Int, category: String?, model: Int, modelName: String, outcome: Outcome,
                                        round: Int) throws(RecordProblem) {
            let path = self.path
            func fail(_ field: String, _ reason: String) -> RecordProblem {
                RecordProblem(file: path, line: line, field: field, reason: reason, raw: text)
            }
            do throws(FieldProblem) { try RecordRules.name(name, "step") } catch { throw fail(error.field, error.reason) }
            guard round >= 1 else { throw fail("round", "must be 1 or more") }
            var record = records[id] ?? Record(id: id, line: line, timestamp: seconds, inputTokens: input, category: category,
                                               outcomes: Array(repeating: nil, count: catalog.count))
            guard record.outcomes.allSatisfy({ $0 == nil }) else {
                throw fail("step", "request '\(id)' mixes rows with a step and rows without one")
            }
            guard record.timestamp == seconds, record.category == category else {
                throw fail("", "request '\(id)' has rows that disagree on ts or category (first row: line \(record.line))")
            }
            if let index = record.steps.firstIndex(where: { $0.name == name && $0.round == round }) {
                guard record.steps[index].inputTokens == input, record.steps[index].cachedInputTokens == cached,
                      stepAfter[id]?[index] == after else {
                    throw fail("", "step '\(name)' of request '\(id)' has rows that disagree on input_tokens, cached_input_tokens or after")
                }
                guard record.steps[index].outcomes[model] == nil else {
                    throw fail("model", "step '\(name)' of request '\(id)' has two rows for model '\(modelName)'")
                }
                record.steps[index].outcomes[model] = outcome
            } else {
                let earlier = record.steps.filter { $0.name == name }.count
                guard round == earlier + 1 else {
                    throw fail("round", "step '\(name)' of request '\(id)' is round \(round), but \(earlier) earlier round(s) of it come before (list rounds in order)")
                }
                var outcomes = [Outcome?](repeating: nil, count: catalog.count)
                outcomes[model] = outcome
                record.steps.append(Step(name: name, after: [], inputTokens: input, cachedInputTokens: cached, round: round, outcomes: outcomes))
                stepAfter[id, default: []].append(after)
                if record.steps.count == 1 { record.inputTokens = input }
            }
            records[id] = record
        }
    }
}

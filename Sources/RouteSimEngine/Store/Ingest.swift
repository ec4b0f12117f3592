import RouteSimModel
import RouteSimStatistics
import CRecordParser
import Foundation

/// `routesim ingest`: loads canonical JSONL logs into the store in batched transactions.
/// Re-ingesting a file adds nothing (its fingerprint is known; record ids are unique); a record
/// whose id is already stored with different content is reported, never replaced.
public struct Ingest {
    public var logs: [String]
    /// Records per transaction: a crash loses at most the batch in flight, never half of one.
    public var batchSize = 10_000
    public var skipInvalid = false
    /// The logs' format, when not detected.
    public var format: LogFormat?
    public var progress: ((Int) -> Void)?

    public init(logs: [String]) {
        self.logs = logs
    }

    /// What one file's ingest did.
    public struct FileReport: Sendable, Equatable {
        public var path: String
        public var alreadyIngested: Bool
        public var read = 0
        public var added = 0
        /// Ids already stored with the same content.
        public var unchanged = 0
        public var rejected = 0
        /// Ids already stored with different content (listed in `conflicts`).
        public var conflicts: [RecordProblem] = []
    }

    public func run(into store: RecordStore, onReject: (RecordProblem) throws -> Void = { _ in }) throws -> [FileReport] {
        try logs.map { try ingest($0, into: store, onReject: onReject) }
    }

    private func ingest(_ path: String, into store: RecordStore, onReject: (RecordProblem) throws -> Void) throws -> FileReport {
        let format = try self.format ?? LogFormat.detect(path: path)
        var report = FileReport(path: path, alreadyIngested: false)
        let fingerprint = try RecordStore.fingerprint(path: path)
        let database = store.database
        let known = try database.prepare("SELECT 1 FROM files WHERE fingerprint = ?")
        try known.bind([.text(fingerprint.text)])
        if try known.step() {
            report.alreadyIngested = true
            return report
        }
        let insertRecord = try database.prepare("""
            INSERT OR IGNORE INTO records (id, ts, input_tokens, output_tokens, cached_input_tokens, category, router_model,
              router_confidence, served_by, propensity, source_file, source_line, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let storedLine = try database.prepare("SELECT raw FROM records WHERE id = ?")
        let parser = rp_parser_create()!
        defer { rp_parser_destroy(parser) }
        var raw = rp_record()
        var pending: [(line: Int, text: UnsafeRawBufferPointer, capacity: Int)] = []
        func flush() throws {
            try database.transaction {
                for item in pending {
                    try insert(item, parser: parser, raw: &raw, path: path, report: &report, onReject: onReject,
                               insertRecord: insertRecord, storedLine: storedLine)
                }
            }
            pending.removeAll(keepingCapacity: true)
            progress?(report.read)
        }
        // Canonical lines are stored as read; other formats' records as canonical lines, with
        // model names as the file gives them (dated snapshots undated), since ingest has no catalog.
        let catalog = try LogFormat.modelsNamed(path: path, format: format)
        let log = try LogSource.open(.file(path), format: format, catalog: catalog)
        while let chunk = try log.next() {
            var lines = chunk
            if case let .records(records, _, problems) = chunk.content {
                for problem in problems {
                    guard skipInvalid else { throw problem.error }
                    report.read += 1
                    report.rejected += 1
                    try onReject(problem)
                }
                lines = Self.canonicalLines(records, catalog: catalog, path: path)
            }
            guard case let .jsonLines(bytes, length) = lines.content else { continue }
            try bytes.withUnsafeBytes { buffer in
                try LogChunk.forEachLine(in: buffer, length: length, firstLine: lines.firstLine) { text, line, start in
                    pending.append((lines.origins?[line - lines.firstLine].line ?? line, text, buffer.count - start))
                    if pending.count == batchSize { try flush() }
                }
                if !pending.isEmpty { try flush() }
            }
        }
        if report.conflicts.isEmpty {
            let remember = try database.prepare("INSERT INTO files (fingerprint, path, bytes, records, ingested_at) VALUES (?, ?, ?, ?, ?)")
            try remember.run([.text(fingerprint.text), .text(path), .integer(fingerprint.bytes), .integer(report.read),
                              .text(ISOTime.format(Date().timeIntervalSince1970))])
        }
        return report
    }

    /// Records of a whole-file format as a chunk of canonical JSON lines, each remembering the
    /// line of the file where its request starts.
    private static func canonicalLines(_ records: [Record], catalog: ModelCatalog, path: String) -> LogChunk {
        var bytes: [UInt8] = []
        for record in records {
            bytes.append(contentsOf: CanonicalJSON.line(record, catalog: catalog).utf8)
            bytes.append(10)
        }
        let length = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: Int(rp_padding())))
        return LogChunk(file: path, firstLine: 1, content: .jsonLines(bytes: bytes, length: length),
                        origins: records.map { (path, $0.line) })
    }

    /// The rules every record obeys (`RecordRules`), checked on a parsed line as the replay checks
    /// it, model names included (ingest has no catalog to look them up in).
    private static func checkRules(_ raw: rp_record) throws(FieldProblem) {
        var record = Record(id: "", inputTokens: 0, outcomes: [])
        JSONRecordDecoder.request(raw, into: &record)
        try RecordRules.checkRequest(record)
        if raw.present & UInt32(RP_REC_ROUTER_MODEL) != 0 { try RecordRules.name(JSONRecordDecoder.string(raw.router_model), "router.model") }
        func checkOutcomes(_ outcomes: UnsafePointer<rp_outcome>?, _ range: Range<Int>, outputTokens: Int?, prefix: String) throws(FieldProblem) {
            for position in range {
                let name = JSONRecordDecoder.string(outcomes![position].model)
                try RecordRules.name(name, String(prefix.dropLast()))
                do throws(FieldProblem) {
                    try RecordRules.check(JSONRecordDecoder.outcome(outcomes![position]), recordOutputTokens: outputTokens)
                } catch {
                    throw FieldProblem(field: "\(prefix)\(name).\(error.field)", reason: error.reason)
                }
            }
        }
        try checkOutcomes(raw.outcomes, 0..<raw.outcome_count, outputTokens: record.outputTokens, prefix: "outcomes.")
        let steps = (0..<raw.step_count).map { Step(name: JSONRecordDecoder.string(raw.steps[$0].name), after: [], inputTokens: 0, outcomes: []) }
        for position in 0..<raw.step_count where raw.steps[position].present & UInt32(RP_STEP_AFTER) != 0 {
            let rawStep = raw.steps[position]
            _ = try Step.dependencies((0..<rawStep.after_count).map { JSONRecordDecoder.string(raw.after[rawStep.after_begin + $0]) },
                                      of: position, in: steps)
        }
        for position in 0..<raw.step_count {
            let rawStep = raw.steps[position]
            let step = Step(name: JSONRecordDecoder.string(rawStep.name), after: [], inputTokens: Int(rawStep.input_tokens),
                            outputTokens: rawStep.present & UInt32(RP_STEP_OUTPUT_TOKENS) != 0 ? Int(rawStep.output_tokens) : nil,
                            cachedInputTokens: Int(rawStep.cached_input_tokens), outcomes: [])
            do throws(FieldProblem) {
                try RecordRules.check(step)
            } catch {
                throw FieldProblem(field: "steps[\(position)].\(error.field)", reason: error.reason)
            }
            try checkOutcomes(raw.step_outcomes, rawStep.outcome_begin..<(rawStep.outcome_begin + rawStep.outcome_count),
                              outputTokens: step.outputTokens, prefix: "steps[\(position)].outcomes.")
        }
    }

    private func insert(_ item: (line: Int, text: UnsafeRawBufferPointer, capacity: Int), parser: OpaquePointer, raw: inout rp_record,
                        path: String, report: inout FileReport, onReject: (RecordProblem) throws -> Void,
                        insertRecord: SQLiteDatabase.Statement, storedLine: SQLiteDatabase.Statement) throws {
        report.read += 1
        let text = { String(decoding: item.text, as: UTF8.self) }
        let base = item.text.baseAddress!.assumingMemoryBound(to: CChar.self)
        do throws(FieldProblem) {
            guard rp_parse(parser, base, item.text.count, item.capacity, &raw) == 0 else {
                throw FieldProblem(field: String(cString: rp_error_field(parser)), reason: String(cString: rp_error_message(parser)))
            }
            try Self.checkRules(raw)
        } catch {
            let problem = RecordProblem(file: path, line: item.line, field: error.field, reason: error.reason, raw: text())
            guard skipInvalid else { throw problem.error }
            report.rejected += 1
            return try onReject(problem)
        }
        let string = JSONRecordDecoder.string
        func optional(_ flag: Int32, _ value: SQLiteValue) -> SQLiteValue { raw.present & UInt32(flag) != 0 ? value : .null }
        let id = string(raw.id)
        try insertRecord.run([
            .text(id), .real(raw.ts), .integer(Int(raw.input_tokens)),
            optional(Int32(RP_REC_OUTPUT_TOKENS), .integer(Int(raw.output_tokens))), .integer(Int(raw.cached_input_tokens)),
            optional(Int32(RP_REC_CATEGORY), .text(string(raw.category))), optional(Int32(RP_REC_ROUTER_MODEL), .text(string(raw.router_model))),
            optional(Int32(RP_REC_ROUTER_CONFIDENCE), .real(raw.router_confidence)), optional(Int32(RP_REC_SERVED_BY), .text(string(raw.served_by))),
            optional(Int32(RP_REC_PROPENSITY), .real(raw.propensity)), .text(path), .integer(item.line), .utf8(item.text),
        ])
        guard insertRecord.changedRows > 0 else {
            // The id is stored: unchanged when its line is the same, byte for byte.
            try storedLine.bind([.text(id)])
            _ = try storedLine.step()
            if storedLine.bytes(0).sameBytes(as: item.text) {
                report.unchanged += 1
            } else {
                report.conflicts.append(RecordProblem(file: path, line: item.line, field: "id",
                                                      reason: "id '\(id)' is already stored with different content; it was not replaced", raw: text()))
            }
            return
        }
        report.added += 1
    }
}

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
        // Into an empty store the records go in without the filters' indexes, which are built
        // once after them, faster than kept up record by record (docs/store.md); also when the
        // ingest stops on an error, and by the next writer when it is killed.
        let bulk = try store.isEmpty()
        if bulk { try store.dropIndexes() }
        do {
            let reports = try logs.map { try ingest($0, into: store, onReject: onReject) }
            if bulk { try store.buildIndexes() }
            return reports
        } catch {
            if bulk { try? store.buildIndexes() }
            throw error
        }
    }

    private func ingest(_ path: String, into store: RecordStore, onReject: (RecordProblem) throws -> Void) throws -> FileReport {
        let format = try self.format ?? LogFormat.detect(path: path)
        var report = FileReport(path: path, alreadyIngested: false)
        let database = store.database
        // Only a file the size of one ingested can be known: its fingerprint is read first. Any
        // other's is read on a thread of its own beside the ingest, and remembered after it.
        let early = try store.holdsFile(ofSize: RecordStore.byteCount(path: path)) ? RecordStore.fingerprint(path: path) : nil
        if let early {
            let known = try database.prepare("SELECT 1 FROM files WHERE fingerprint = ?")
            try known.bind([.text(early.text)])
            if try known.step() {
                report.alreadyIngested = true
                return report
            }
        }
        let later = early == nil ? Background { Result { try RecordStore.fingerprint(path: path, lanes: 1) } } : nil
        let insertRecord = try database.prepare("""
            INSERT OR IGNORE INTO records (id, ts, input_tokens, output_tokens, cached_input_tokens, category, router_model,
              router_confidence, served_by, propensity, source_file, source_line, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let storedLine = try database.prepare("SELECT raw FROM records WHERE id = ?")
        let parser = rp_parser_create()!
        defer { rp_parser_destroy(parser) }
        // Canonical lines are stored as read; other formats' records as canonical lines, with
        // model names as the file gives them (dated snapshots undated), since ingest has no catalog.
        let catalog = try LogFormat.modelsNamed(path: path, format: format)
        let log = try LogSource.open(.file(path), format: format, catalog: catalog)
        func parseNext() throws -> IngestChunk? {
            try log.next().map { IngestChunk($0, parser: parser, catalog: catalog, path: path) }
        }
        // The next chunk is read and parsed on one thread while this one is inserted on another;
        // a failure to insert is reported before one to read what comes after.
        var next = try parseNext()
        while let chunk = next {
            var inserted: Result<Void, Error> = .success(()), parsed: Result<IngestChunk?, Error> = .success(nil)
            _ = Parallel.run(2) { task in
                if task == 0 {
                    inserted = Result {
                        try self.store(chunk, path: path, report: &report, onReject: onReject, database: database, insertRecord: insertRecord,
                                  storedLine: storedLine)
                    }
                } else {
                    parsed = Result { try parseNext() }
                }
            }
            try inserted.get()
            next = try parsed.get()
        }
        let fingerprint = try early ?? later!.value.get()
        if report.conflicts.isEmpty {
            let remember = try database.prepare("INSERT INTO files (fingerprint, path, bytes, records, ingested_at) VALUES (?, ?, ?, ?, ?)")
            try remember.run([.text(fingerprint.text), .text(path), .integer(fingerprint.bytes), .integer(report.read),
                              .text(ISOTime.format(Date().timeIntervalSince1970))])
        }
        return report
    }

    /// Stores one parsed chunk in transactions of at most `batchSize` lines.
    private func store(_ chunk: IngestChunk, path: String, report: inout FileReport, onReject: (RecordProblem) throws -> Void,
                       database: SQLiteDatabase, insertRecord: SQLiteDatabase.Statement, storedLine: SQLiteDatabase.Statement) throws {
        for problem in chunk.readerProblems {
            guard skipInvalid else { throw problem.error }
            report.read += 1
            report.rejected += 1
            try onReject(problem)
        }
        var start = 0
        let file = Array(path.utf8)
        while start < chunk.entries.count {
            let batch = chunk.entries[start..<min(start + batchSize, chunk.entries.count)]
            try chunk.lines.withUnsafeBytes { lines in
                try chunk.texts.withUnsafeBytes { texts in
                    try file.withUnsafeBytes { file in
                        try database.transaction {
                            for entry in batch {
                                try insert(entry, lines: lines, texts: texts, file: file, path: path, report: &report, onReject: onReject,
                                           insertRecord: insertRecord, storedLine: storedLine)
                            }
                        }
                    }
                }
            }
            start = batch.endIndex
            progress?(report.read)
        }
    }

    private func insert(_ entry: IngestChunk.Entry, lines: UnsafeRawBufferPointer, texts: UnsafeRawBufferPointer,
                        file: UnsafeRawBufferPointer, path: String,
                        report: inout FileReport, onReject: (RecordProblem) throws -> Void,
                        insertRecord: SQLiteDatabase.Statement, storedLine: SQLiteDatabase.Statement) throws {
        report.read += 1
        let row: IngestChunk.Row
        switch entry {
        case let .problem(problem):
            guard skipInvalid else { throw problem.error }
            report.rejected += 1
            return try onReject(problem)
        case let .row(parsed):
            row = parsed
        }
        func text(_ range: Range<Int>?) -> SQLiteValue { range.map { .utf8(UnsafeRawBufferPointer(rebasing: texts[$0])) } ?? .null }
        let line = UnsafeRawBufferPointer(rebasing: lines[row.text])
        // Bound one by one: an array of the values, made per row, was 6% of the insert thread's work.
        try insertRecord.bind(text(row.id), at: 1)
        try insertRecord.bind(.real(row.timestamp), at: 2)
        try insertRecord.bind(.integer(row.inputTokens), at: 3)
        try insertRecord.bind(row.outputTokens.map { .integer($0) } ?? .null, at: 4)
        try insertRecord.bind(.integer(row.cachedInputTokens), at: 5)
        try insertRecord.bind(text(row.category), at: 6)
        try insertRecord.bind(text(row.routerModel), at: 7)
        try insertRecord.bind(row.routerConfidence.map { .real($0) } ?? .null, at: 8)
        try insertRecord.bind(text(row.servedBy), at: 9)
        try insertRecord.bind(row.propensity.map { .real($0) } ?? .null, at: 10)
        try insertRecord.bind(.utf8(file), at: 11)
        try insertRecord.bind(.integer(row.line), at: 12)
        try insertRecord.bind(.utf8(line), at: 13)
        try insertRecord.runOnce()
        guard insertRecord.changedRows > 0 else {
            // The id is stored: unchanged when its line is the same, byte for byte.
            let id = String(decoding: UnsafeRawBufferPointer(rebasing: texts[row.id]), as: UTF8.self)
            try storedLine.bind([.text(id)])
            _ = try storedLine.step()
            if storedLine.bytes(0).sameBytes(as: line) {
                report.unchanged += 1
            } else {
                report.conflicts.append(RecordProblem(file: path, line: row.line, field: "id",
                                                      reason: "id '\(id)' is already stored with different content; it was not replaced",
                                                      raw: String(decoding: line, as: UTF8.self)))
            }
            return
        }
        report.added += 1
    }
}

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
        // Into an empty store the records go in without the category index, which is built once
        // after them, faster than kept up record by record (docs/store.md); also when the ingest
        // stops on an error, and by the next writer when it is killed.
        let bulk = try store.isEmpty()
        if bulk { try store.dropCategoryIndex() }
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
        var inserter = try RecordInserter(database)
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
                        try self.store(chunk, path: path, report: &report, onReject: onReject, database: database, inserter: &inserter)
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
                       database: SQLiteDatabase, inserter: inout RecordInserter) throws {
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
                        let bytes = RecordInserter.Bytes(lines: lines, texts: texts, file: file, path: path)
                        try database.transaction {
                            for entry in batch {
                                report.read += 1
                                switch entry {
                                case let .problem(problem):
                                    guard skipInvalid else { throw problem.error }
                                    report.rejected += 1
                                    try onReject(problem)
                                case let .row(row):
                                    try inserter.add(row, bytes, report: &report)
                                }
                            }
                            try inserter.flush(bytes, report: &report)
                        }
                    }
                }
            }
            start = batch.endIndex
            progress?(report.read)
        }
    }
}

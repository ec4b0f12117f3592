import RouteSimModel

/// Where records come from: a log file in its format (detected from its name and first line,
/// or given), or the records of a store that a query selects. Opened once, it yields chunks —
/// lines of canonical JSON, or records already built by a whole-file reader — in file order.
/// Every job that reads records (replay, sweep, compare, validate, record scans) opens its
/// inputs here, so that which reader serves which format is decided in one place.
package final class LogSource {
    package let label: String
    package let format: LogFormat?
    /// Records the source holds, when known before reading (a store's selection).
    package let knownCount: Int?
    private let nextChunk: () throws -> LogChunk?

    /// Records per chunk of a whole-file format (CSV, RouterBench, foreign logs).
    static let recordsPerChunk = 16_384

    private init(label: String, format: LogFormat?, knownCount: Int?, next: @escaping () throws -> LogChunk?) {
        self.label = label
        self.format = format
        self.knownCount = knownCount
        nextChunk = next
    }

    /// Opens `source`; `catalog` resolves model names for whole-file formats.
    package static func open(_ source: Replay.Source, format: LogFormat?, catalog: ModelCatalog, chunkSize: Int = 1 << 22) throws -> LogSource {
        switch source {
        case let .store(store, query):
            let reader = try StoreReader(store: store, query: query, chunkSize: chunkSize)
            return LogSource(label: store.path, format: .canonical, knownCount: try query.count(in: store), next: reader.next)
        case let .file(path):
            let format = try format ?? LogFormat.detect(path: path)
            if format == .canonical {
                let reader = try ChunkedFileReader(path: path, chunkSize: chunkSize, jsonLines: true)
                return LogSource(label: path, format: format, knownCount: nil, next: reader.next)
            }
            var chunks = split(try LogFormat.table(path: path, catalog: catalog, format: format)!, into: recordsPerChunk)[...]
            return LogSource(label: path, format: format, knownCount: nil) { chunks.popFirst() }
        }
    }

    /// The next chunk, or nil at the end.
    package func next() throws -> LogChunk? { try nextChunk() }

    /// A whole-file reader's records in chunks of `size`, each with the problems found among its lines.
    private static func split(_ chunk: LogChunk, into size: Int) -> [LogChunk] {
        guard case let .records(records, raw, problems) = chunk.content, records.count > size else { return [chunk] }
        return stride(from: 0, to: records.count, by: size).map { start in
            let end = min(records.count, start + size)
            let mine = problems.filter { problem in
                problem.line >= (start == 0 ? 0 : records[start].line) && (end == records.count || problem.line < records[end].line)
            }
            var part = LogChunk(file: chunk.file, firstLine: chunk.firstLine,
                                content: .records(Array(records[start..<end]), raw: Array(raw[start..<end]), problems: mine))
            if start == 0 {  // the file's notes and findings, counted once
                part.notes = chunk.notes
                part.findings = chunk.findings
            }
            return part
        }
    }
}

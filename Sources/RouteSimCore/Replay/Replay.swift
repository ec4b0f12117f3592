import Dispatch

/// Replays log files through policies in one streaming pass: chunks are parsed and replayed on
/// `threads` threads, then merged in file order, so results do not depend on the thread count.
public struct Replay {
    public var catalog: ModelCatalog
    public var policies: [Policy]
    /// Reject bad records (to `onReject`) instead of stopping at the first.
    public var skipInvalid = false
    public var threads = 1
    /// Bytes of a JSONL chunk; boundaries depend on this alone, never on `threads`.
    var chunkSize = 1 << 22
    /// Called after each batch of chunks with the number of records read so far.
    public var progress: ((Int) -> Void)?

    public init(catalog: ModelCatalog, policies: [Policy]) {
        self.catalog = catalog
        self.policies = policies
    }

    /// What a replay found.
    public struct Result: Sendable {
        public var totals: ReplayTotals
        public var recordsRead: Int
        public var rejected: Int
    }

    /// Replays every file in order. Without `skipInvalid`, the first bad record throws.
    public func run(files: [String], onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> Result {
        var merger = Merger(replay: self, files: files, onReject: onReject)
        let workers = (0..<max(1, threads)).map { _ in ChunkReplayer(catalog: catalog, policies: policies) }
        for (fileIndex, file) in files.enumerated() {
            let nextBatch: () throws -> [LogChunk]
            switch try LogFormat.detect(path: file) {
            case .canonical:
                let reader = try ChunkedFileReader(path: file, chunkSize: chunkSize)
                nextBatch = {
                    var batch: [LogChunk] = []
                    while batch.count < workers.count, let chunk = try reader.next() { batch.append(chunk) }
                    return batch
                }
            case .csv:
                var chunks = Self.split(try CSVLogReader.read(path: file, catalog: catalog), into: 16_384)[...]
                nextBatch = {
                    defer { chunks = chunks.dropFirst(workers.count) }
                    return Array(chunks.prefix(workers.count))
                }
            }
            while case let batch = try nextBatch(), !batch.isEmpty {
                let results = Self.parallel(batch.count) { workers[$0].replay(batch[$0]) }
                let admitted = try zip(batch, results).map { try merger.admit($1, of: $0, fileIndex: fileIndex) }
                let partials = Self.parallel(batch.count) { index in
                    results[index].totals(admitted: admitted[index], policyCount: policies.count, modelCount: catalog.count)
                }
                for partial in partials { merger.totals.merge(partial) }
                progress?(merger.read)
            }
        }
        return Result(totals: merger.totals, recordsRead: merger.read, rejected: merger.rejected)
    }

    /// `work(0..<count)`, one index per thread, results in index order.
    private static func parallel<T>(_ count: Int, _ work: (Int) -> T) -> [T] {
        let slots = ResultSlots<T>(count: count)
        // Each index is handed to exactly one thread; `work` only reads what is shared.
        nonisolated(unsafe) let work = work
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.store(work(index), at: index)
        }
        return slots.results.map { $0! }
    }

    private static func split(_ chunk: LogChunk, into size: Int) -> [LogChunk] {
        guard case let .records(records, raw, problems) = chunk.content, records.count > size else { return [chunk] }
        return stride(from: 0, to: records.count, by: size).map { start in
            let end = min(records.count, start + size)
            let mine = problems.filter { problem in
                problem.line >= (start == 0 ? 0 : records[start].line) && (end == records.count || problem.line < records[end].line)
            }
            return LogChunk(file: chunk.file, firstLine: chunk.firstLine,
                            content: .records(Array(records[start..<end]), raw: Array(raw[start..<end]), problems: mine))
        }
    }
}

/// One slot per task of a batch, written by exactly one thread each.
private final class ResultSlots<T>: @unchecked Sendable {
    private(set) var results: [T?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func store(_ result: T, at index: Int) {
        results.withUnsafeMutableBufferPointer { $0[index] = result }
    }
}

/// Folds chunk results into run totals in file order, checking ids across the whole run.
private struct Merger {
    let replay: Replay
    let files: [String]
    let onReject: (RecordProblem) throws -> Void
    var totals: ReplayTotals
    var read = 0
    var rejected = 0
    /// The 64-bit FNV-1a hash of every accepted id → file index << 40 | line where it was first seen.
    /// 16 bytes a record; two different ids share a hash with odds of about n²/2⁶⁵.
    private var seen: [UInt64: Int] = [:]

    init(replay: Replay, files: [String], onReject: @escaping (RecordProblem) throws -> Void) {
        self.replay = replay
        self.files = files
        self.onReject = onReject
        totals = ReplayTotals(policyCount: replay.policies.count, modelCount: replay.catalog.count)
    }

    /// Checks a chunk's records in line order: rejects its problems and repeated ids,
    /// and says which entries may be counted.
    mutating func admit(_ result: ChunkResult, of chunk: LogChunk, fileIndex: Int) throws -> [Bool] {
        var admitted = [Bool](repeating: false, count: result.entries.count)
        var problemIndex = 0
        for (index, entry) in result.entries.enumerated() {
            while problemIndex < result.problems.count, result.problems[problemIndex].line < entry.line {
                try reject(result.problems[problemIndex])
                problemIndex += 1
            }
            read += 1
            if let first = seen[entry.idHash] {
                let place = "\(files[first >> 40]):\(first & (1 << 40 - 1))"
                try reject(RecordProblem(file: chunk.file, line: entry.line, field: "id",
                                         reason: "duplicate id '\(entry.id)' (first seen at \(place))",
                                         raw: Self.raw(entry, chunk)), counted: true)
                continue
            }
            seen[entry.idHash] = fileIndex << 40 | entry.line
            admitted[index] = true
        }
        while problemIndex < result.problems.count {
            try reject(result.problems[problemIndex])
            problemIndex += 1
        }
        return admitted
    }

    private mutating func reject(_ problem: RecordProblem, counted: Bool = false) throws {
        if !counted { read += 1 }
        guard replay.skipInvalid else { throw problem.error }
        rejected += 1
        try onReject(problem)
    }

    private static func raw(_ entry: ChunkResult.Entry, _ chunk: LogChunk) -> String {
        switch chunk.content {
        case let .jsonLines(bytes, _):
            return String(decoding: bytes[entry.rawStart..<(entry.rawStart + entry.rawLength)], as: UTF8.self)
        case let .records(_, raw, _):
            return raw[entry.rawStart]
        }
    }
}

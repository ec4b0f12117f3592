import RouteSimModel
import RouteSimStatistics
import Dispatch
import Foundation

/// Replays log files through policies in one streaming pass: chunks are parsed and replayed on
/// `threads` threads, then merged in file order, so results do not depend on the thread count.
public struct Replay {
    public var catalog: ModelCatalog
    public var policies: [Policy]
    /// Reject bad records (to `onReject`) instead of stopping at the first.
    public var skipInvalid = false
    public var threads = 1
    /// The policy whose per-request successes the others are paired with (the baseline), if any.
    public var pairedPolicy: Int?
    /// Count each policy per time window of this many seconds (for error budgets), if set.
    public var windowSeconds: Double?
    /// Latency budgets to count requests and steps against, per window (needs `windowSeconds`).
    public var latencyBudget: LatencyBudget?
    /// The format of every log file, when not detected from its name and first line.
    public var format: LogFormat?
    /// Mocked outcomes for what the log did not record, and the seed of their draws.
    public var mock: (spec: MockSpec, seed: UInt64)?
    /// A parameter sweep to replay alongside the policies.
    public var sweep: SweepPlan?
    /// Bytes of a JSONL chunk; boundaries depend on this alone, never on `threads`.
    package var chunkSize = 1 << 21
    /// Called after each batch of chunks with the number of records read so far.
    public var progress: ((Int) -> Void)?
    /// How far apart a recorded cost and the catalog's price may be before a cost check flags it.
    public var costTolerance = 0.05
    /// Called with each cost-check finding of an accepted record, in file order (`validate --lint`).
    public var onCostFinding: ((CostLint.Kind, RecordProblem) -> Void)?
    /// The shard of a log partitioned by id that the logs are (docs/partials.md); a record of
    /// another shard stops the replay, `skipInvalid` or not.
    public var shard: Shard?
    /// Latencies kept one by one per policy, for exact percentiles; a policy with more gets them
    /// from a sketch (docs/statistics.md, "Latency sketches"). With self-hosted models every latency
    /// is kept: their fleets' queueing is added to each at the end.
    public var exactLatencies = Replay.defaultExactLatencies
    public static let defaultExactLatencies = 10_000_000

    public init(catalog: ModelCatalog, policies: [Policy]) {
        self.catalog = catalog
        self.policies = policies
    }

    /// What a replay found.
    public struct Result: Sendable, Codable {
        public var totals: ReplayTotals
        public var recordsRead: Int
        public var rejected: Int
        /// The first record rejected, for the message when every record was.
        public var firstProblem: RecordProblem?

        /// Refuses a replay that accepted no request: its figures would be unknowns shown as zeros.
        package func requireRequests(_ sources: [Source]) throws {
            guard totals.accepted == 0 else { return }
            if let firstProblem {
                throw RouteSimError.usage("all \(recordsRead) records were rejected, so there is nothing to replay; the first: \(firstProblem.error)")
            }
            if case let .store(store, query) = sources.first, !query.categories.isEmpty || query.since != nil || query.until != nil {
                let known = (try? store.categories()) ?? []
                throw RouteSimError.usage("no stored record matches --since/--until/--category (categories are matched exactly, case included; the store has: \(known.joined(separator: ", ")))")
            }
            throw RouteSimError.usage("the logs hold no records (\(sources.map(\.label).joined(separator: ", ")) \(sources.count == 1 ? "is" : "are") empty)")
        }
    }

    /// Where records come from: a log file, or the records of a store that a query selects.
    public enum Source {
        case file(String)
        case store(RecordStore, StoreQuery)

        package var label: String {
            switch self {
            case let .file(path): return path
            case let .store(store, _): return store.path
            }
        }
    }

    /// Replays every file in order. Without `skipInvalid`, the first bad record throws.
    public func run(files: [String], onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> Result {
        try run(sources: files.map(Source.file), onReject: onReject)
    }

    /// Replays every source in order. Without `skipInvalid`, the first bad record throws.
    public func run(sources: [Source], onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> Result {
        var admission = Admission(replay: self, files: sources.map(\.label), onReject: onReject)
        var totals = ReplayTotals(policyCount: policies.count, modelCount: catalog.count)
        let limit = catalog.models.contains { $0.selfHosted != nil } ? nil : exactLatencies
        for index in totals.policies.indices { totals.policies[index].latencyLimit = limit }
        /// Sizes the latency stores once for a file of about `records` records.
        func reserveLatencies(_ records: Int) {
            for index in totals.policies.indices { totals.policies[index].reserve(records) }
        }
        // One chunk per thread per batch, and at least two (docs/performance.md, "Memory"): two per
        // thread evened out chunks of unequal cost no better on the bench and held twice the memory.
        let lint = CostLintCheck(catalog: catalog, tolerance: costTolerance)
        let workers = (0..<max(2, threads)).map { _ in ChunkReplayer(catalog: catalog, policies: policies, sweep: sweep, mock: mock, lint: lint, shard: shard) }
        for (fileIndex, source) in sources.enumerated() {
            let file = source.label
            let log = try LogSource.open(source, format: format, catalog: catalog, chunkSize: chunkSize)
            // The file's records, known or guessed from its first batch. The id index is sized for
            // them in the task that checks the first batch's ids, beside the replay of the next:
            // bringing in its pages takes a core about 12 ms for the bench (docs/performance.md,
            // "Duplicate ids").
            var expected = log.knownCount
            if let expected { reserveLatencies(expected) }
            var indexSized = false
            let nextBatch: () throws -> [LogChunk] = {
                var batch: [LogChunk] = []
                while batch.count < workers.count, let chunk = try log.next() { batch.append(chunk) }
                return batch
            }
            // Four batches are in flight (docs/performance.md, "How it works"): while one is
            // replayed and the next read, the one before has its ids checked in file order (one
            // task), the one before that is folded into totals (a task per chunk), and the totals
            // of the one before that are merged into the run's in file order (one task), so no
            // core waits for the id check or the merge.
            var batch = try nextBatch()
            var toAdmit: (chunks: [LogChunk], results: [ChunkResult], reserve: Int?)?
            var toFold: (results: [ChunkResult], admitted: [[Bool]])?
            var toMerge: [ReplayTotals] = []
            while !batch.isEmpty || toAdmit != nil || toFold != nil || !toMerge.isEmpty {
                let (current, admitting, folding, merging) = (batch, toAdmit, toFold, toMerge)
                let upcoming = Slot<Swift.Result<[LogChunk], Error>>(.success([]))
                let marks = Slot<Swift.Result<[[Bool]], Error>>(.success([]))
                let (readTask, admitTask, mergeTask, firstFold) = (current.count, current.count + 1, current.count + 2, current.count + 3)
                let outputs = Parallel.run(firstFold + (folding?.results.count ?? 0)) { index -> Stage in
                    switch index {
                    case ..<readTask:
                        return .replayed(workers[index].replay(current[index]))
                    case readTask:
                        if !current.isEmpty { upcoming.value = Swift.Result { try nextBatch() } }
                    case admitTask:
                        if let admitting {
                            marks.value = Swift.Result {
                                if let records = admitting.reserve { admission.reserve(records) }
                                return try zip(admitting.chunks, admitting.results).map { try admission.admit($1, of: $0, fileIndex: fileIndex) }
                            }
                        }
                    case mergeTask:
                        for partial in merging { totals.merge(partial) }
                    default:
                        let chunk = index - firstFold
                        return .folded(folding!.results[chunk].totals(
                            admitted: folding!.admitted[chunk], policyCount: policies.count, modelCount: catalog.count,
                            paired: pairedPolicy, windowSeconds: windowSeconds, sweep: sweep, budget: latencyBudget))
                    }
                    return .none
                }
                toMerge = outputs.compactMap { if case let .folded(partial) = $0 { partial } else { nil } }
                toFold = try admitting.map { ($0.results, try marks.value.get()) }
                let results = outputs.compactMap { if case let .replayed(result) = $0 { result } else { nil } }
                if expected == nil, !results.isEmpty {
                    expected = Self.expectedRecords(file, batch: current, results: results)
                    reserveLatencies(expected!)
                }
                toAdmit = current.isEmpty ? nil : (current, results, indexSized ? nil : expected)
                indexSized = expected != nil
                progress?(admission.read)
                batch = try upcoming.value.get()
            }
        }
        totals.logNotes.add(admission.notes)
        totals.lint.merge(admission.lint)
        for finding in totals.lint.constantModels(catalog) { onCostFinding?(.constantTokenModels, finding) }
        totals.canonicalize()
        return Result(totals: totals, recordsRead: admission.read, rejected: admission.rejected, firstProblem: admission.firstProblem)
    }

    /// What one task of a pipeline step gave: a chunk replayed, or a chunk's totals.
    private enum Stage {
        case replayed(ChunkResult)
        case folded(ReplayTotals)
        case none
    }

    /// A guess at a file's record count from its size and its first batch, to size the id index once.
    private static func expectedRecords(_ file: String, batch: [LogChunk], results: [ChunkResult]) -> Int {
        let records = results.reduce(0) { $0 + $1.entries.count + $1.problems.count }
        let bytes = batch.reduce(0) { total, chunk in
            if case let .jsonLines(_, length) = chunk.content { return total + length }
            return total
        }
        guard records > 0, bytes > 0,
              let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int else { return records }
        let expanded = file.hasSuffix(".gz") ? size * 6 : size
        return max(records, Int(Double(expanded) / Double(bytes) * Double(records) * 1.05))
    }
}

/// Admits chunk results in file order, checking ids across the whole run; counts what reading
/// the logs noted and the cost checks of admitted records found (the run's totals take them at the end).
private struct Admission {
    package let replay: Replay
    package let files: [String]
    package let onReject: (RecordProblem) throws -> Void
    package var notes = LogNotes()
    package var lint: CostLint
    package var read = 0
    package var rejected = 0
    package var firstProblem: RecordProblem?
    /// The 64-bit FNV-1a hash of every accepted id → file index << 40 | line where it was first seen.
    /// 21 to 43 bytes a record; two different ids share a hash with odds of about n²/2⁶⁵.
    private let seen = IDIndex()

    package init(replay: Replay, files: [String], onReject: @escaping (RecordProblem) throws -> Void) {
        self.replay = replay
        self.files = files
        self.onReject = onReject
        lint = CostLint(modelCount: replay.catalog.count)
    }

    /// Checks a chunk's records in line order: rejects its problems and repeated ids,
    /// and says which entries may be counted.
    package mutating func admit(_ result: ChunkResult, of chunk: LogChunk, fileIndex: Int) throws -> [Bool] {
        if let outside = result.outsideShard { throw outside.error }
        var admitted = [Bool](repeating: false, count: result.entries.count)
        notes.add(chunk.notes)
        for (kind, finding) in chunk.findings { found(kind, finding) }
        var problemIndex = 0
        // Each lookup lands at a random place in the index: the slot of the entry a few ahead is
        // asked for while this one is checked.
        let ahead = 8
        for entry in result.entries.prefix(ahead) { seen.prefetch(entry.idHash) }
        for (index, entry) in result.entries.enumerated() {
            if index + ahead < result.entries.count { seen.prefetch(result.entries[index + ahead].idHash) }
            while problemIndex < result.problems.count, result.problems[problemIndex].line < entry.line {
                try reject(result.problems[problemIndex])
                problemIndex += 1
            }
            read += 1
            if let first = seen.insert(entry.idHash, fileIndex << 40 | entry.line) {
                let place = "\(files[first >> 40]):\(first & (1 << 40 - 1))"
                let raw = Self.raw(entry, chunk)
                try reject(RecordProblem(file: chunk.file, line: entry.line, field: "id",
                                         reason: "duplicate id '\(Self.id(entry, chunk, raw: raw))' (first seen at \(place))",
                                         raw: raw), counted: true)
                continue
            }
            admitted[index] = true
        }
        while problemIndex < result.problems.count {
            try reject(result.problems[problemIndex])
            problemIndex += 1
        }
        for (entry, kind, finding) in result.findings where admitted[entry] { found(kind, finding) }
        return admitted
    }

    /// Counts a cost-check finding and hands it on.
    private mutating func found(_ kind: CostLint.Kind, _ finding: RecordProblem) {
        lint.count(kind)
        replay.onCostFinding?(kind, finding)
    }

    /// Sizes the id index once for a file of about `records` records.
    package mutating func reserve(_ records: Int) {
        seen.reserve(records)
    }

    private mutating func reject(_ problem: RecordProblem, counted: Bool = false) throws {
        if !counted { read += 1 }
        guard replay.skipInvalid else { throw problem.error }
        rejected += 1
        // Cache or reasoning counts beyond their totals are refused; the cost checks count them too.
        if problem.reason.contains("must not exceed"), ["cache", "reasoning"].contains(where: problem.field.contains) {
            found(.countsOverTotals, problem)
        }
        if firstProblem == nil { firstProblem = problem }
        try onReject(problem)
    }

    /// The id of an entry, read again from its text: only duplicates need it.
    private static func id(_ entry: ChunkResult.Entry, _ chunk: LogChunk, raw: String) -> String {
        if case let .records(records, _, _) = chunk.content { return records[entry.rawStart].id }
        let object = try? JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any]
        return object?["id"] as? String ?? "?"
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

import RouteSimModel

/// Puts ingest's parsed rows into `records`, many to a statement (docs/store.md, "How ingest
/// stores records"). A full group of rows goes in as one `INSERT` of `groupSize` rows, which
/// SQLite undoes whole when one of its ids is stored already; such a group, and the rows left
/// over, go in one at a time, each found added, unchanged or in conflict.
struct RecordInserter {
    /// Rows per grouped `INSERT`, and the parameters of each row.
    static let groupSize = 64
    private static let columns: Int32 = 13

    private let group: SQLiteDatabase.Statement
    private let one: SQLiteDatabase.Statement
    private let storedLine: SQLiteDatabase.Statement
    /// The rows waiting for a full group, in line order.
    private var waiting: [IngestChunk.Row] = []

    init(_ database: SQLiteDatabase) throws {
        let columns = """
            records (id, ts, input_tokens, output_tokens, cached_input_tokens, category, router_model,
              router_confidence, served_by, propensity, source_file, source_line, raw)
            """
        let values = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        group = try database.prepare("INSERT INTO \(columns) VALUES " + Array(repeating: values, count: Self.groupSize).joined(separator: ", "))
        one = try database.prepare("INSERT OR IGNORE INTO \(columns) VALUES \(values)")
        storedLine = try database.prepare("SELECT raw FROM records WHERE id = ?")
        waiting.reserveCapacity(Self.groupSize)
    }

    /// The bytes a chunk's rows point into: its lines, its texts, and the file's path.
    struct Bytes {
        var lines: UnsafeRawBufferPointer
        var texts: UnsafeRawBufferPointer
        var file: UnsafeRawBufferPointer
        var path: String
    }

    /// Takes `row`; a full group is inserted at once.
    mutating func add(_ row: IngestChunk.Row, _ bytes: Bytes, report: inout Ingest.FileReport) throws {
        waiting.append(row)
        guard waiting.count == Self.groupSize else { return }
        for (index, row) in waiting.enumerated() {
            try bind(row, bytes, to: group, from: Int32(index) * Self.columns)
        }
        if try group.runOnceUnlessKeyStored() {
            report.added += waiting.count
        } else {
            try insertOneByOne(bytes, report: &report)
        }
        waiting.removeAll(keepingCapacity: true)
    }

    /// Inserts the rows short of a group (before the transaction ends, or the chunk's bytes go).
    mutating func flush(_ bytes: Bytes, report: inout Ingest.FileReport) throws {
        try insertOneByOne(bytes, report: &report)
        waiting.removeAll(keepingCapacity: true)
    }

    private func insertOneByOne(_ bytes: Bytes, report: inout Ingest.FileReport) throws {
        for row in waiting {
            try bind(row, bytes, to: one, from: 0)
            try one.runOnce()
            guard one.changedRows > 0 else {
                // The id is stored: unchanged when its line is the same, byte for byte.
                let line = UnsafeRawBufferPointer(rebasing: bytes.lines[row.text])
                let id = String(decoding: UnsafeRawBufferPointer(rebasing: bytes.texts[row.id]), as: UTF8.self)
                try storedLine.bind([.text(id)])
                _ = try storedLine.step()
                if storedLine.bytes(0).sameBytes(as: line) {
                    report.unchanged += 1
                } else {
                    report.conflicts.append(RecordProblem(file: bytes.path, line: row.line, field: "id",
                                                          reason: "id '\(id)' is already stored with different content; it was not replaced",
                                                          raw: String(decoding: line, as: UTF8.self)))
                }
                continue
            }
            report.added += 1
        }
    }

    /// Binds `row`'s `columns` values to the parameters after `base`, one by one (an array of them,
    /// made per row, was 6% of the insert thread's work).
    private func bind(_ row: IngestChunk.Row, _ bytes: Bytes, to statement: SQLiteDatabase.Statement, from base: Int32) throws {
        func text(_ range: Range<Int>?) -> SQLiteValue { range.map { .utf8(UnsafeRawBufferPointer(rebasing: bytes.texts[$0])) } ?? .null }
        try statement.bind(text(row.id), at: base + 1)
        try statement.bind(.real(row.timestamp), at: base + 2)
        try statement.bind(.integer(row.inputTokens), at: base + 3)
        try statement.bind(row.outputTokens.map { .integer($0) } ?? .null, at: base + 4)
        try statement.bind(.integer(row.cachedInputTokens), at: base + 5)
        try statement.bind(text(row.category), at: base + 6)
        try statement.bind(text(row.routerModel), at: base + 7)
        try statement.bind(row.routerConfidence.map { .real($0) } ?? .null, at: base + 8)
        try statement.bind(text(row.servedBy), at: base + 9)
        try statement.bind(row.propensity.map { .real($0) } ?? .null, at: base + 10)
        try statement.bind(.utf8(bytes.file), at: base + 11)
        try statement.bind(.integer(row.line), at: base + 12)
        try statement.bind(.utf8(UnsafeRawBufferPointer(rebasing: bytes.lines[row.text])), at: base + 13)
    }
}

import RouteSimModel
import RouteSimStatistics
import CRecordParser
import Foundation

/// Which stored records to replay: a time range and categories, filtered in SQL.
public struct StoreQuery: Sendable {
    /// Seconds since the epoch; `since` inclusive, `until` exclusive.
    public var since: Double?
    public var until: Double?
    public var categories: [String] = []

    public init(since: Double? = nil, until: Double? = nil, categories: [String] = []) {
        self.since = since
        self.until = until
        self.categories = categories
    }

    /// How many records the query selects.
    package func count(in store: RecordStore) throws -> Int {
        let (select, values) = sql
        let statement = try store.database.prepare(select.replacingOccurrences(of: "SELECT raw, source_file, source_line", with: "SELECT count(*)"))
        try statement.bind(values)
        _ = try statement.step()
        return statement.integer(0)
    }

    package var sql: (text: String, values: [SQLiteValue]) {
        var conditions: [String] = [], values: [SQLiteValue] = []
        if let since { conditions.append("ts >= ?"); values.append(.real(since)) }
        if let until { conditions.append("ts < ?"); values.append(.real(until)) }
        if !categories.isEmpty {
            conditions.append("category IN (" + categories.map { _ in "?" }.joined(separator: ", ") + ")")
            values += categories.map(SQLiteValue.text)
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        // No ORDER BY: results do not depend on record order, and the table's own order (as
        // ingested; by id in a store made before 2026-12-06) streams without an index walk; the
        // same store and query always give the same order.
        return ("SELECT raw, source_file, source_line FROM records" + filter, values)
    }
}

/// Streams the stored lines a query selects as chunks of JSONL, like a file would give.
package final class StoreReader {
    private let statement: SQLiteDatabase.Statement
    private let chunkSize: Int
    private let label: String
    private var row = 0
    private var done = false
    /// Rows mostly come from one file: reuse its name rather than build it per row.
    /// The file of the rows read last, and its bytes to compare the next row's with.
    private var lastFile = "", lastFileBytes: [UInt8] = []

    package init(store: RecordStore, query: StoreQuery, chunkSize: Int) throws {
        let (sql, values) = query.sql
        statement = try store.database.prepare(sql)
        try statement.bind(values)
        self.chunkSize = chunkSize
        label = store.path
    }

    package func next() throws -> LogChunk? {
        guard !done else { return nil }
        // Rows are added until the chunk reaches its size, so the last one goes past it: room for
        // a row of up to 64 KiB beyond, so that the chunk is not moved to a buffer twice as large
        // (a copy of the whole chunk and pages first touched, for every chunk: docs/performance.md).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chunkSize + (1 << 16) + Int(rp_padding()))
        var origins: [(file: String, line: Int)] = []
        // Each chunk names its files with strings of its own: the rows of a chunk count
        // references to them on the thread that replays it, not on a string another chunk shares.
        (lastFile, lastFileBytes) = ("", [])
        let first = row + 1
        while bytes.count < chunkSize {
            guard try statement.step() else {
                done = true
                break
            }
            bytes.append(contentsOf: statement.bytes(0))
            bytes.append(10)
            let file = statement.bytes(1)
            if !lastFileBytes.withUnsafeBytes({ $0.sameBytes(as: file) }) {
                lastFile = String(decoding: file, as: UTF8.self)
                lastFileBytes = Array(file)
            }
            origins.append((lastFile, statement.integer(2)))
            row += 1
        }
        guard !origins.isEmpty else { return nil }
        let length = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: Int(rp_padding())))
        return LogChunk(file: label, firstLine: first, content: .jsonLines(bytes: bytes, length: length), origins: origins)
    }
}

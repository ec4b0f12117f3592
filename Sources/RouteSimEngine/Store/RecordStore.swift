import RouteSimModel
import RouteSimStatistics
import CRecordParser
import CZlib
import Foundation

/// The embedded store (SQLite): ingested records and outcomes, the files they came from, and a
/// history of runs. Each record keeps its canonical JSON line, so replays from the store go through
/// the same parser as replays from files and give the same results.
public final class RecordStore {
    package let database: SQLiteDatabase

    /// `records` is an ordinary table, its rows in the order ingest added them, with an index on
    /// `id`; stores made before 2026-12-06 keep it `WITHOUT ROWID`, ordered by id. Both are read
    /// and written alike (docs/store.md, "Store versions").
    public static let schema = """
        PRAGMA page_size = 16384;
        PRAGMA journal_mode = DELETE;
        PRAGMA synchronous = FULL;
        PRAGMA cache_size = -65536;
        CREATE TABLE IF NOT EXISTS files (
            fingerprint TEXT PRIMARY KEY, path TEXT NOT NULL, bytes INTEGER NOT NULL,
            records INTEGER NOT NULL, ingested_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS records (
            id TEXT PRIMARY KEY, ts REAL NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER,
            cached_input_tokens INTEGER NOT NULL, category TEXT, router_model TEXT, router_confidence REAL,
            served_by TEXT, propensity REAL, source_file TEXT NOT NULL, source_line INTEGER NOT NULL,
            raw TEXT NOT NULL);
        \(indexes)
        \(outcomesView)
        CREATE TABLE IF NOT EXISTS runs (
            id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, command TEXT NOT NULL,
            input_fingerprint TEXT NOT NULL, policy_hash TEXT NOT NULL, routesim_version TEXT NOT NULL,
            summary TEXT NOT NULL);
        """

    /// The indexes the `--since`, `--until` and `--category` filters use. Ingest into an empty
    /// store builds the category one once, after its records (docs/store.md, "How ingest stores
    /// records").
    static let indexes = """
        CREATE INDEX IF NOT EXISTS records_by_time ON records (ts);
        CREATE INDEX IF NOT EXISTS records_by_category ON records (category, ts);
        """

    /// Each record's outcomes, one row per model, read from its stored line (docs/store.md).
    static let outcomesView = """
        CREATE VIEW IF NOT EXISTS outcomes AS
            SELECT r.id AS record_id, o.key AS model, json_extract(o.value, '$.success') AS success,
                json_extract(o.value, '$.quality') AS quality, json_extract(o.value, '$.latency_ms') AS latency_ms,
                json_extract(o.value, '$.output_tokens') AS output_tokens, json_extract(o.value, '$.cost_usd') AS cost_usd,
                json_extract(o.value, '$.confidence') AS confidence
            FROM records AS r, json_each(r.raw, '$.outcomes') AS o;
        """

    /// A store made before version 2 kept each outcome a second time, in a table, and a hash of
    /// each line: both go, once, in one transaction (docs/store.md, "Store versions").
    static let upgrade = """
        BEGIN IMMEDIATE;
        DROP TABLE outcomes;
        ALTER TABLE records DROP COLUMN content_hash;
        \(outcomesView)
        PRAGMA user_version = 2;
        COMMIT;
        """

    /// Opens the store at `path`, creating it (for `ingest` and `--record-run`).
    public init(path: String) throws {
        database = try SQLiteDatabase(path: path)
        if try Self.isFirstLayout(database) {
            do {
                try database.execute(Self.upgrade)
            } catch {
                try? database.execute("ROLLBACK")
                throw error
            }
        }
        try database.execute(Self.schema)
        // Set only when it differs: setting it is a write, which would wait for every reader.
        if try Self.layoutVersion(database) != 2 { try database.execute("PRAGMA user_version = 2") }
    }

    /// The layout version the store records (docs/store.md, "Store versions"); 0 for a new file.
    private static func layoutVersion(_ database: SQLiteDatabase) throws -> Int {
        let version = try database.prepare("PRAGMA user_version")
        _ = try version.step()
        return version.integer(0)
    }

    /// Whether the store keeps its outcomes in a table (the layout before version 2). The
    /// statement is done with before the caller changes the schema, which it would lock.
    private static func isFirstLayout(_ database: SQLiteDatabase) throws -> Bool {
        let outcomes = try database.prepare("SELECT type FROM sqlite_master WHERE name = 'outcomes'")
        return try outcomes.step() && outcomes.text(0) == "table"
    }

    /// Opens an existing store to replay from, read-only, so that a store in a read-only place
    /// can be replayed; a missing file is an error, never a new empty store.
    public init(existing path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RouteSimError.unreadableFile(path: path, reason: "no such store (make one with routesim ingest --log FILE… --db \(path))")
        }
        var opened = try SQLiteDatabase(path: path, readOnly: true)
        if (try? opened.prepare("SELECT count(*) FROM records").step()) == nil {
            if opened.failedOnUnfinishedWrite {
                // A write left unfinished (an ingest stopped part-way) has pages in the file and
                // their old contents in the journal. Read as it is, the store would mix in records
                // never committed; a writer rolls it back first.
                try Self.rollBackUnfinishedWrite(path)
                opened = try SQLiteDatabase(path: path, readOnly: true)
            } else {
                // In a read-only directory SQLite cannot make a WAL store's lock files: read it as
                // immutable — unless a journal holds what the file alone does not.
                for journal in [path + "-journal", path + "-wal"] where Self.holdsData(journal) {
                    throw RouteSimError.unreadableFile(path: path, reason: "\(journal) holds changes the store's file does not, and SQLite cannot take them in here (it cannot make its lock files beside the store): read it where the store and its journal can be written, or run routesim ingest on it once")
                }
                opened = try SQLiteDatabase(path: path, readOnly: true, immutable: true)
            }
        }
        database = opened
        do {
            _ = try database.prepare("SELECT count(*) FROM records").step()
        } catch {
            throw RouteSimError.unreadableFile(path: path, reason: "it is not a routesim store (no records table; make one with routesim ingest)")
        }
    }

    /// Rolls back a write left unfinished in the store at `path` (docs/store.md, "A replay never
    /// reads a write left unfinished"): a connection that may write does so on its first read.
    /// Refused, naming why, where it cannot.
    private static func rollBackUnfinishedWrite(_ path: String) throws {
        do {
            let writer = try SQLiteDatabase(path: path, create: false)
            _ = try writer.prepare("SELECT count(*) FROM records").step()
        } catch {
            throw RouteSimError.unreadableFile(path: path, reason: "it holds a write left unfinished (an ingest stopped part-way), which must be rolled back before it can be read, and that cannot be done here (\(error)): read it where it can be written, or run routesim ingest on it once")
        }
    }

    /// Whether a file exists at `path` and is not empty.
    private static func holdsData(_ path: String) -> Bool {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0 > 0
    }

    public var path: String { database.path }

    /// The categories of the stored records, sorted.
    public func categories() throws -> [String] {
        let statement = try database.prepare("SELECT DISTINCT category FROM records WHERE category IS NOT NULL ORDER BY category")
        var names: [String] = []
        while try statement.step() { names.append(statement.text(0)) }
        return names
    }

    /// Whether the store holds no record.
    package func isEmpty() throws -> Bool {
        try !database.prepare("SELECT 1 FROM records LIMIT 1").step()
    }

    /// Drops the category index for a bulk load, which builds it after (`buildIndexes`); the time
    /// index is kept up as rows go in (docs/store.md, "How ingest stores records").
    package func dropCategoryIndex() throws {
        try database.execute("DROP INDEX IF EXISTS records_by_category;")
    }

    /// Builds the indexes of `indexes` that are missing.
    package func buildIndexes() throws {
        try database.execute(Self.indexes)
    }

    /// How many records the store holds.
    public func recordCount() throws -> Int {
        let statement = try database.prepare("SELECT count(*) FROM records")
        _ = try statement.step()
        return statement.integer(0)
    }

    /// A file's identity for "already ingested": CRC-32 of its bytes (as stored, compressed or not)
    /// and its size. The halves are read on two threads and their CRCs combined (zlib's
    /// `crc32_combine`), which gives the CRC of the whole.
    /// `lanes`: 1 reads the file on the calling thread (beside other work), 2 reads its halves at once.
    public static func fingerprint(path: String, lanes: Int = 2) throws -> (text: String, bytes: Int) {
        let size = try byteCount(path: path)
        let half = size / 2
        let parts = Parallel.run(2, lanes: lanes) { part -> (crc: UInt, bytes: Int)? in
            partCRC(path, from: part == 0 ? 0 : half, count: part == 0 ? half : size - half)
        }
        guard let first = parts[0], let second = parts[1] else {
            throw RouteSimError.unreadableFile(path: path, reason: "it could not be read to the end")
        }
        let crc = crc32_combine(first.crc, second.crc, off_t(second.bytes))
        return ("crc32:\(String(crc, radix: 16)):\(first.bytes + second.bytes)", first.bytes + second.bytes)
    }

    /// The size of the file at `path`, which must be readable.
    static func byteCount(path: String) throws -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.intValue, FileHandle(forReadingAtPath: path) != nil else {
            throw RouteSimError.unreadableFile(path: path, reason: "no such file, or it cannot be opened")
        }
        return size
    }

    /// Whether a file of `bytes` bytes was ingested: only then can a file of that size be known
    /// (docs/store.md, "How ingest stores records").
    package func holdsFile(ofSize bytes: Int) throws -> Bool {
        let statement = try database.prepare("SELECT 1 FROM files WHERE bytes = ? LIMIT 1")
        try statement.bind([.integer(bytes)])
        return try statement.step()
    }

    /// CRC-32 of `count` bytes of the file from `offset`, and how many were read; nil when it cannot be read.
    private static func partCRC(_ path: String, from offset: Int, count: Int) -> (crc: UInt, bytes: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil else { return nil }
        var crc = crc32(0, nil, 0), bytes = 0
        while bytes < count, let block = try? handle.read(upToCount: min(1 << 20, count - bytes)), !block.isEmpty {
            crc = block.withUnsafeBytes { crc32(crc, $0.bindMemory(to: UInt8.self).baseAddress, UInt32($0.count)) }
            bytes += block.count
        }
        return bytes == count ? (crc, bytes) : nil
    }
}

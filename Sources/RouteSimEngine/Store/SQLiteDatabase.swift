import RouteSimModel
import RouteSimStatistics
import Foundation
import CSQLite

/// SQLite's "copy this value now" destructor, which Swift does not import.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A small wrapper over the system libsqlite3: open, execute, prepared statements, transactions.
/// (GRDB fails to link on Debian 12, whose libsqlite3 lacks snapshots; see docs/store.md.)
package final class SQLiteDatabase {
    package let path: String
    private var handle: OpaquePointer?

    /// How long a writer waits for another to finish (two ingests into one store take turns).
    package static let busyTimeoutMilliseconds: Int32 = 600_000

    /// Opens `path`: created when `create`; read-only (as a URI `file:…?mode=ro`, or
    /// `immutable=1` where even the lock files cannot be made) when `readOnly`.
    package init(path: String, create: Bool = true, readOnly: Bool = false, immutable: Bool = false) throws {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        var name = path
        if readOnly {
            let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            name = "file:\(escaped)?mode=ro" + (immutable ? "&immutable=1" : "")
        }
        guard sqlite3_open_v2(name, &handle, flags, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw RouteSimError.unreadableFile(path: path, reason: "it cannot be opened as a SQLite database (\(message))")
        }
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements that return no rows.
    package func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw failure(message)
        }
    }

    package func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure(String(cString: sqlite3_errmsg(handle)))
        }
        return Statement(statement, database: self)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    package func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Whether the last call failed because the file holds a write left unfinished, which a
    /// read-only connection may not roll back (`SQLITE_READONLY_ROLLBACK`: a hot journal).
    package var failedOnUnfinishedWrite: Bool { sqlite3_extended_errcode(handle) == SQLITE_READONLY | 3 << 8 }

    package func failure(_ message: String) -> RouteSimError {
        .unreadableFile(path: path, reason: "SQLite: \(message)")
    }

    /// A prepared statement; bind by 1-based position, step, read columns by 0-based position.
    package final class Statement {
        private let statement: OpaquePointer
        private unowned let database: SQLiteDatabase

        fileprivate init(_ statement: OpaquePointer, database: SQLiteDatabase) {
            self.statement = statement
            self.database = database
        }

        deinit { sqlite3_finalize(statement) }

        package func bind(_ values: [SQLiteValue]) throws {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            for (offset, value) in values.enumerated() {
                try bind(value, at: Int32(offset + 1))
            }
        }

        /// Binds `value` to the parameter at `index` (1-based), keeping the others as bound. The
        /// statement must be reset (as `bind(_:)` and `runOnce()` leave it).
        @inline(__always)
        package func bind(_ value: SQLiteValue, at index: Int32) throws {
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(statement, index)
            case let .integer(number): status = sqlite3_bind_int64(statement, index, Int64(number))
            case let .real(number): status = sqlite3_bind_double(statement, index, number)
            case let .text(text): status = sqlite3_bind_text(statement, index, text, -1, transient)
            case let .blob(data) where data.isEmpty: status = sqlite3_bind_zeroblob(statement, index, 0)
            case let .blob(data): status = data.withUnsafeBytes { sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient) }
            case let .utf8(bytes):
                if let base = bytes.baseAddress {
                    status = sqlite3_bind_text(statement, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
                } else {
                    status = sqlite3_bind_text(statement, index, "", 0, transient)
                }
            }
            guard status == SQLITE_OK else { throw database.failure("cannot bind parameter \(index)") }
        }

        /// Advances; true while there is a row to read.
        package func step() throws -> Bool {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw database.failure(String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))))
            }
        }

        /// Binds, runs to completion, and lets go of what was bound.
        package func run(_ values: [SQLiteValue]) throws {
            try bind(values)
            try runOnce()
        }

        /// Runs to completion with what is bound (`bind(_:at:)`, one parameter at a time: no
        /// array made per row, for ingest's million rows), then resets and lets go of what was bound.
        package func runOnce() throws {
            _ = try runOnce(keyStored: false)
        }

        /// Runs like `runOnce`; false, with all the statement did undone by SQLite, when it would
        /// store a primary key that is stored already (`SQLITE_CONSTRAINT_PRIMARYKEY`).
        package func runOnceUnlessKeyStored() throws -> Bool {
            try runOnce(keyStored: true)
        }

        /// `keyStored`: a primary key stored already returns false instead of throwing.
        private func runOnce(keyStored: Bool) throws -> Bool {
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            while true {
                switch sqlite3_step(statement) {
                case SQLITE_ROW: continue
                case SQLITE_DONE: return true
                default:
                    let handle = sqlite3_db_handle(statement)
                    if keyStored, sqlite3_extended_errcode(handle) == SQLITE_CONSTRAINT | 6 << 8 { return false }
                    throw database.failure(String(cString: sqlite3_errmsg(handle)))
                }
            }
        }

        /// Rows the statement's last run changed.
        package var changedRows: Int { Int(sqlite3_changes(sqlite3_db_handle(statement))) }

        package func integer(_ column: Int) -> Int { Int(sqlite3_column_int64(statement, Int32(column))) }
        package func text(_ column: Int) -> String { sqlite3_column_text(statement, Int32(column)).map { String(cString: $0) } ?? "" }

        /// The column's bytes, valid until the next step.
        package func bytes(_ column: Int) -> UnsafeRawBufferPointer {
            let pointer = sqlite3_column_blob(statement, Int32(column))
            return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, Int32(column))))
        }
    }
}

/// A value bound to a statement.
package enum SQLiteValue {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
    case blob(Data)
    /// Text given as its UTF-8 bytes, not made a `String` first, nor copied by SQLite: the bytes
    /// must stay valid until the statement has run (`Statement.run` clears its bindings after).
    case utf8(UnsafeRawBufferPointer)
}

import CZlib
import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("SQLite store: ingest once, replay many times")
struct StoreTests {
    static func line(_ id: String, _ ts: String, category: String, smallOK: Bool = true) -> String {
        #"{"id":"\#(id)","ts":"\#(ts)","input_tokens":1000,"output_tokens":500,"category":"\#(category)","outcomes":{"small":{"success":\#(smallOK),"latency_ms":100},"large":{"success":true,"latency_ms":900}}}"#
    }

    static let log = [
        line("a", "2026-10-01T01:00:00Z", category: "faq"),
        line("b", "2026-10-01T02:00:00Z", category: "legal", smallOK: false),
        line("c", "2026-10-02T01:00:00Z", category: "faq", smallOK: false),
        line("d", "2026-10-03T01:00:00Z", category: "billing"),
    ].joined(separator: "\n") + "\n"

    static let policies = "name: large\nkind: single\nmodel: large\n---\nname: oracle\nkind: oracle\n"

    struct Setup {
        let fixture = Fixture()
        var log: String { fixture.directory + "/log.jsonl" }
        var db: String { fixture.directory + "/store.db" }
        let store: RecordStore

        init() throws {
            fixture.file("log.jsonl", StoreTests.log)
            store = try RecordStore(path: fixture.directory + "/store.db")
            _ = try Ingest(logs: [fixture.directory + "/log.jsonl"]).run(into: store)
        }

        func summary(_ sources: [Replay.Source]) throws -> String {
            let catalog = Fixture.catalog
            let policies = try PolicyLoader.load(paths: [fixture.file("p.yaml", StoreTests.policies)], catalog: catalog)
            let result = try Replay(catalog: catalog, policies: policies).run(sources: sources)
            return SummaryJSON.render(try SimulationSummary(result: result, policies: policies, catalog: catalog, options: .init()))
        }
    }

    @Test func replayFromTheStoreEqualsReplayFromTheFile() throws {
        let setup = try Setup()
        #expect(try setup.summary([.store(setup.store, StoreQuery())]) == setup.summary([.file(setup.log)]))
    }

    /// A file's fingerprint is the CRC-32 of all its bytes, however its halves fall: the check value
    /// of "123456789" is cbf43926 and that of "a" e8b7be43; a file of 3 MiB and 7 bytes, read in
    /// blocks on two threads, matches zlib's CRC of the whole taken at once.
    @Test func aFingerprintIsTheCRCOfTheWholeFile() throws {
        let fixture = Fixture()
        #expect(try RecordStore.fingerprint(path: fixture.file("check.txt", "123456789")).text == "crc32:cbf43926:9")
        #expect(try RecordStore.fingerprint(path: fixture.file("one.txt", "a")).text == "crc32:e8b7be43:1")
        #expect(try RecordStore.fingerprint(path: fixture.file("empty.txt", "")).text == "crc32:0:0")
        let bytes = (0..<(3 << 20) + 7).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let path = fixture.directory + "/big.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let whole = bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        #expect(try RecordStore.fingerprint(path: path).text == "crc32:\(String(whole, radix: 16)):\(bytes.count)")
    }

    static func indexes(_ store: RecordStore) throws -> [String] {
        let statement = try store.database.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'records_by_%' ORDER BY name")
        var names: [String] = []
        while try statement.step() { names.append(statement.text(0)) }
        return names
    }

    /// Into an empty store the filters' indexes are built after the records: they are there when
    /// the ingest ends, and when it stops on a bad record too.
    @Test func anIngestIntoAnEmptyStoreLeavesTheFiltersIndexes() throws {
        let setup = try Setup()
        #expect(try Self.indexes(setup.store) == ["records_by_category", "records_by_time"])
        let fixture = Fixture()
        let bad = fixture.file("bad.jsonl", StoreTests.log + #"{"id":"e","input_tokens":-1}"# + "\n")
        let store = try RecordStore(path: fixture.directory + "/store.db")
        #expect(throws: RouteSimError.self) { _ = try Ingest(logs: [bad]).run(into: store) }
        #expect(try Self.indexes(store) == ["records_by_category", "records_by_time"])
        #expect(try store.recordCount() == 0)
    }

    @Test func reingestingAddsNothing() throws {
        let setup = try Setup()
        let again = try Ingest(logs: [setup.log]).run(into: setup.store)
        #expect(try again[0].alreadyIngested && setup.store.recordCount() == 4)
        // The same records in a file with other bytes (a trailing blank line): each record is
        // recognised as already stored, and nothing is added.
        let copy = setup.fixture.file("copy.jsonl", StoreTests.log + "\n")
        let report = try Ingest(logs: [copy]).run(into: setup.store)[0]
        #expect(report.added == 0 && report.unchanged == 4 && report.conflicts.isEmpty)
    }

    /// Ingest reads a file's fingerprint beside the ingest unless a file of its size is stored;
    /// either way the one remembered is the whole file's, and only the same bytes are known.
    @Test func aFileIsKnownByItsBytesNotItsSize() throws {
        let setup = try Setup()
        let stored = try setup.store.database.prepare("SELECT fingerprint FROM files")
        _ = try stored.step()
        #expect(try stored.text(0) == RecordStore.fingerprint(path: setup.log).text)
        // Four lines of the same length with one letter changed: the size of the stored file.
        let other = setup.fixture.file("other.jsonl", StoreTests.log.replacingOccurrences(of: "billing", with: "bil1ing"))
        #expect(try RecordStore.byteCount(path: other) == RecordStore.byteCount(path: setup.log))
        let report = try Ingest(logs: [other]).run(into: setup.store)[0]
        #expect(!report.alreadyIngested && report.read == 4 && report.conflicts.map(\.line) == [4])
    }

    /// Rows go in 64 to a statement, and a group holding a stored id, or one id twice, goes in
    /// again one row at a time: every row is still found added, unchanged or in conflict, in a
    /// store of today's layout and in one whose records are `WITHOUT ROWID` (before 2026-12-06).
    @Test(arguments: [false, true])
    func groupedRowsAreEachCountedAddedUnchangedOrInConflict(withoutRowid: Bool) throws {
        func line(_ number: Int, category: String = "faq") -> String {
            StoreTests.line("r\(number)", "2026-10-01T00:00:00Z", category: category)
        }
        let fixture = Fixture()
        let path = fixture.directory + "/store.db"
        if withoutRowid {
            let schema = RecordStore.schema.replacingOccurrences(of: "raw TEXT NOT NULL);", with: "raw TEXT NOT NULL) WITHOUT ROWID;")
            try #require(schema != RecordStore.schema)
            try SQLiteDatabase(path: path).execute(schema + "PRAGMA user_version = 2;")
        }
        let store = try RecordStore(path: path)
        do {  // done with before ingest writes: a statement in the middle of a read holds the table
            let layout = try store.database.prepare("SELECT sql FROM sqlite_master WHERE name = 'records'")
            _ = try layout.step()
            #expect(layout.text(0).hasSuffix("WITHOUT ROWID") == withoutRowid)
        }
        _ = try Ingest(logs: [fixture.file("first.jsonl", (0..<10).map { line($0) }.joined(separator: "\n") + "\n")]).run(into: store)
        // Lines 1-64: ten stored ids (r3 changed); 65-128: r70 again at line 100; 129-192 all new;
        // 193-200 short of a group.
        var lines = (0..<200).map { line($0) }
        lines[3] = line(3, category: "legal")
        lines[99] = line(70)
        let report = try Ingest(logs: [fixture.file("second.jsonl", lines.joined(separator: "\n") + "\n")]).run(into: store)[0]
        #expect(report.read == 200 && report.added == 189 && report.unchanged == 10)
        #expect(report.conflicts.map(\.line) == [4])
        #expect(try store.recordCount() == 199)
        let stored = try store.database.prepare("SELECT category FROM records WHERE id = 'r3'")
        _ = try stored.step()
        #expect(stored.text(0) == "faq")
    }

    @Test func aStoredIdWithOtherContentIsReportedNotReplaced() throws {
        let setup = try Setup()
        let changed = setup.fixture.file("changed.jsonl", StoreTests.line("b", "2026-10-09T00:00:00Z", category: "faq") + "\n")
        let report = try Ingest(logs: [changed]).run(into: setup.store)[0]
        #expect(report.conflicts.map(\.line) == [1] && report.conflicts[0].field == "id" && report.added == 0)
        let stored = try setup.store.database.prepare("SELECT category FROM records WHERE id = 'b'")
        _ = try stored.step()
        #expect(stored.text(0) == "legal")
        // A file with conflicts is not remembered, so fixing and re-running it is possible.
        #expect(try !Ingest(logs: [changed]).run(into: setup.store)[0].alreadyIngested)
    }

    @Test func eachOutcomeIsARowOfTheOutcomesView() throws {
        let setup = try Setup()
        let rows = try setup.store.database.prepare(
            "SELECT record_id, model, success, latency_ms FROM outcomes WHERE record_id = 'b' ORDER BY model")
        var read: [String] = []
        while try rows.step() { read.append("\(rows.text(0)) \(rows.text(1)) \(rows.integer(2)) \(rows.integer(3))") }
        #expect(read == ["b large 1 900", "b small 0 100"])
    }

    @Test func aStoreOfTheFirstLayoutIsUpgradedOnceAndKeepsItsRecords() throws {
        // The layout before version 2: outcomes in a table of their own, a hash of each line.
        let fixture = Fixture()
        let path = fixture.directory + "/old.db"
        let old = try SQLiteDatabase(path: path)
        try old.execute("""
            CREATE TABLE records (id TEXT PRIMARY KEY, ts REAL NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER,
              cached_input_tokens INTEGER NOT NULL, category TEXT, router_model TEXT, router_confidence REAL, served_by TEXT,
              propensity REAL, source_file TEXT NOT NULL, source_line INTEGER NOT NULL, content_hash INTEGER NOT NULL,
              raw TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE outcomes (record_id TEXT NOT NULL, model TEXT NOT NULL, success INTEGER NOT NULL, quality REAL,
              latency_ms REAL, output_tokens INTEGER, cost_usd REAL, confidence REAL, PRIMARY KEY (record_id, model)) WITHOUT ROWID;
            INSERT INTO records VALUES ('a', 1790816400, 1000, 500, 0, 'faq', NULL, NULL, NULL, NULL, 'log.jsonl', 1, 42,
              '\(StoreTests.line("a", "2026-10-01T01:00:00Z", category: "faq"))');
            INSERT INTO outcomes VALUES ('a', 'small', 1, NULL, 100, NULL, NULL, NULL), ('a', 'large', 1, NULL, 900, NULL, NULL, NULL);
            """)
        let store = try RecordStore(path: path)
        // Each statement is done with before the next write: a reader in the middle of a statement holds the store.
        do {
            let kind = try store.database.prepare("SELECT type FROM sqlite_master WHERE name = 'outcomes'")
            _ = try kind.step()
            #expect(kind.text(0) == "view")
        }
        do {
            let count = try store.database.prepare("SELECT count(*) FROM outcomes")
            _ = try count.step()
            #expect(count.integer(0) == 2)
        }
        // The stored record is known by its line: ingesting the same line again adds nothing.
        let again = fixture.file("again.jsonl", StoreTests.line("a", "2026-10-01T01:00:00Z", category: "faq") + "\n")
        let report = try Ingest(logs: [again]).run(into: store)[0]
        #expect(report.unchanged == 1 && report.added == 0 && report.conflicts.isEmpty)
        #expect(try RecordStore(path: path).recordCount() == 1)
    }

    @Test func filtersSelectInSQL() throws {
        let setup = try Setup()
        let day1 = StoreQuery(since: parseRFC3339("2026-10-01T00:00:00Z"), until: parseRFC3339("2026-10-02T00:00:00Z"))
        #expect(try day1.count(in: setup.store) == 2)                                  // a, b
        #expect(try StoreQuery(categories: ["faq"]).count(in: setup.store) == 2)        // a, c
        #expect(try StoreQuery(since: parseRFC3339("2026-10-02T00:00:00Z"), categories: ["faq", "billing"]).count(in: setup.store) == 2) // c, d
        let catalog = Fixture.catalog
        let replay = Replay(catalog: catalog, policies: [Policy(name: "o", kind: .oracle)])
        #expect(try replay.run(sources: [.store(setup.store, day1)]).totals.accepted == 2)
    }

    @Test func problemsFoundInAReplayFromTheStoreNameTheOriginalFileAndLine() throws {
        let setup = try Setup()
        let catalog = try ModelCatalog.parse("models:\n  large: {tier: 3, input_per_mtok: 100, output_per_mtok: 200}\n", file: "m.yaml")
        let replay = Replay(catalog: catalog, policies: [Policy(name: "l", kind: .single(model: 0))])
        #expect {
            try replay.run(sources: [.store(setup.store, StoreQuery())])
        } throws: { error in
            guard case let .invalidInput(file, line, field, _) = error as? RouteSimError else { return false }
            return file == setup.log && line == 1 && field == "outcomes.small"
        }
    }

    @Test func aLongCSVIngestsAndReplaysLikeTheFile() throws {
        let setup = try Setup()
        let csv = setup.fixture.file("log.csv", """
            id,ts,input_tokens,output_tokens,category,model,success,latency_ms,quality,cost_usd,confidence
            x1,2026-10-05T00:00:00.5Z,1000,500,faq,small,true,100,0.9,,0.8
            x2,2026-10-05T01:00:00Z,1000,500,"legal, EU",small,false,120,,,
            x1,2026-10-05T00:00:00.5Z,1000,500,faq,large,true,900,,0.25,
            x2,2026-10-05T01:00:00Z,1000,500,"legal, EU",large,true,950,,,

            """)
        let report = try Ingest(logs: [csv]).run(into: setup.store)[0]
        #expect(report.read == 2 && report.added == 2)
        let stored = try setup.store.database.prepare("SELECT raw, source_line FROM records WHERE id = 'x1'")
        _ = try stored.step()
        #expect(stored.integer(1) == 2)
        #expect(stored.text(0).hasPrefix(#"{"id":"x1","ts":"2026-10-05T00:00:00.5Z","input_tokens":1000,"category":"faq""#))
        let fromCSV = StoreQuery(since: parseRFC3339("2026-10-05T00:00:00Z"))
        #expect(try setup.summary([.store(setup.store, fromCSV)]) == setup.summary([.file(csv)]))
    }

    /// OpenTelemetry spans ingested as canonical lines replay exactly like the spans file — but
    /// for what reading the spans assumed (`input.log_notes`), said by the file's replay only.
    @Test func otherFormatsIngestAndReplayLikeTheirFiles() throws {
        let fixture = Fixture()
        let store = try RecordStore(path: fixture.directory + "/formats.db")
        let spans = RouteSimBinary.datasets + "/formats/otel-genai.jsonl"
        #expect(try Ingest(logs: [spans]).run(into: store)[0].added == 3)
        let catalog = try ModelCatalog.load(path: RouteSimBinary.datasets + "/formats/models.yaml")
        let replay = Replay(catalog: catalog, policies: [Policy(name: "o", kind: .oracle)])
        func summary(_ source: Replay.Source) throws -> String {
            let result = try replay.run(sources: [source])
            var summary = try SimulationSummary(result: result, policies: replay.policies, catalog: catalog, options: .init())
            summary.logNotes = LogNotes()
            return SummaryJSON.render(summary)
        }
        #expect(try summary(.store(store, StoreQuery())) == summary(.file(spans)))
    }

    @Test func runsAreRecordedAndListed() throws {
        let setup = try Setup()
        let history = RunHistory(store: setup.store)
        let policyFile = setup.fixture.file("p.yaml", StoreTests.policies)
        try history.record(command: "simulate", input: "store", policyFiles: [policyFile], summaryJSON: try setup.summary([.file(setup.log)]))
        let runs = try history.runs(policy: "oracle")
        #expect(runs.count == 1 && runs[0].command == "simulate" && runs[0].policyHash.hasPrefix("crc32:"))
        // oracle: a small 0.002, b large 0.2, c large 0.2, d small 0.002 → CPI 0.404/4 = 0.101; all succeed.
        #expect(abs(runs[0].cpiUSD! - 0.101) < 1e-12 && runs[0].successRate == 1)
    }
}

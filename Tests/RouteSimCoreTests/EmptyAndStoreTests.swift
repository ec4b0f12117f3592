import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Runs that used to answer from nothing with exit 0: an empty log, every record rejected, a
/// filter that matches nothing, a store path with a typo.
@Suite("Nothing to replay is said, not shown as zeros")
struct EmptyAndStoreTests {
    static func simulate(log text: String, skipInvalid: Bool = false) throws {
        let fixture = Fixture()
        var simulation = Simulation(logs: [fixture.file("log.jsonl", text)], catalogPath: fixture.file("m.yaml", Fixture.catalogYAML),
                                    policyPaths: [fixture.file("p.yaml", "name: p\nkind: single\nmodel: small\n")])
        simulation.inputs.skipInvalid = skipInvalid
        try Fixture.simulate(simulation, into: fixture.directory + "/out")
    }

    @Test func anEmptyLogIsRefused() {
        #expect { try Self.simulate(log: "") } throws: { "\($0)".contains("hold no records") }
    }

    @Test func everyRecordRejectedIsRefusedNamingTheFirst() {
        #expect {
            try Self.simulate(log: "{\"id\":1}\n{\"id\":2}\n", skipInvalid: true)
        } throws: { error in
            let text = "\(error)"
            return text.contains("all 2 records were rejected") && text.contains("log.jsonl:1: id: must be a string")
        }
    }

    @Test func aMissingStoreIsNotCreated() {
        let fixture = Fixture()
        let path = fixture.directory + "/typo.db"
        #expect { _ = try RecordStore(existing: path) } throws: { "\($0)".contains("no such store") }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// A store ingested once, then replayed with a filter that matches nothing, and read-only.
    @Test func aFilterThatMatchesNothingListsTheCategories() throws {
        let fixture = Fixture()
        let log = fixture.file("log.jsonl", LogReadingTests.line(#","category":"billing""#) + "\n")
        let db = fixture.directory + "/s.db"
        _ = try Ingest(logs: [log]).run(into: try RecordStore(path: db))
        var simulation = Simulation(logs: [], catalogPath: fixture.file("m.yaml", Fixture.catalogYAML),
                                    policyPaths: [fixture.file("p.yaml", "name: p\nkind: single\nmodel: small\n")])
        simulation.inputs.store = (db, StoreQuery(categories: ["Billing"]))
        #expect {
            try Fixture.simulate(simulation, into: fixture.directory + "/out")
        } throws: { "\($0)".contains("the store has: billing") }
        simulation.inputs.store = (db, StoreQuery(categories: ["billing"]))
        #expect(try Fixture.simulate(simulation, into: fixture.directory + "/out").accepted == 1)
    }

    /// Replays open the store read-only: a store in a read-only place can be replayed, and a
    /// replay never writes to it.
    @Test func aStoreIsReplayedReadOnly() throws {
        let fixture = Fixture()
        let log = fixture.file("log.jsonl", LogReadingTests.line() + "\n")
        let db = fixture.directory + "/s.db"
        do { _ = try Ingest(logs: [log]).run(into: try RecordStore(path: db)) }
        let store = try RecordStore(existing: db)
        #expect(try store.recordCount() == 1)
        #expect(throws: RouteSimError.self) { try store.database.execute("CREATE TABLE scribble (a)") }
    }

    /// A store copied while a write to it was unfinished — pages of the write already in the file,
    /// their old contents in its journal, as an ingest killed part-way leaves it — is first rolled
    /// back to its last commit: a replay never reads records that were not committed.
    @Test func aStoreLeftWithAnUnfinishedWriteIsRolledBackBeforeItIsRead() throws {
        let fixture = Fixture()
        let lines = (0..<2_000).map { LogReadingTests.line(#","category":"c\#($0 % 5)""#, id: "u\($0)") }
        let db = fixture.directory + "/s.db", torn = fixture.directory + "/torn.db"
        do { _ = try Ingest(logs: [fixture.file("log.jsonl", lines.joined(separator: "\n") + "\n")]).run(into: try RecordStore(path: db)) }
        do {
            // A small page cache makes the write spill its pages into the file before it commits.
            let writer = try SQLiteDatabase(path: db)
            try writer.execute("PRAGMA cache_size = 4; BEGIN IMMEDIATE; UPDATE records SET category = 'zzz', raw = replace(raw, '\"c', '\"zzz')")
            try FileManager.default.copyItem(atPath: db, toPath: torn)
            try FileManager.default.copyItem(atPath: db + "-journal", toPath: torn + "-journal")
            try writer.execute("ROLLBACK")
        }
        let store = try RecordStore(existing: torn)
        #expect(try store.recordCount() == 2_000)
        #expect(try store.categories() == ["c0", "c1", "c2", "c3", "c4"])
    }

    @Test func historyRefusesAPolicyNoRunHas() throws {
        let fixture = Fixture()
        let store = try RecordStore(path: fixture.directory + "/s.db")
        let history = RunHistory(store: store)
        let summary = #"{"baseline":"big","policies":[{"name":"big","cpi_usd":1.0,"success_rate":0.9},{"name":"r","cpi_usd":0.5,"success_rate":0.8}]}"#
        try history.record(command: "simulate", input: "a", policyFiles: [], summaryJSON: summary)
        #expect(try history.runs(policy: "r").first?.cpiUSD == 0.5)
        #expect { _ = try history.runs(policy: "nope") } throws: { "\($0)".contains("no recorded run has a policy named 'nope'") && "\($0)".contains("big, r") }
        #expect(RunHistory.figures(in: summary, policy: "other").cpi == nil)
    }
}

import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("ingest survives being killed")
struct IngestCrashTests {
    /// 200,000 records: the bundled log four times over, with ids made unique.
    static func bigLog(in scratch: Scratch) throws -> String {
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        unzip.arguments = ["-dc", RouteSimBinary.root + "/datasets/support-14d.jsonl.gz"]
        let pipe = Pipe()
        unzip.standardOutput = pipe
        try unzip.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        unzip.waitUntilExit()
        var out = ""
        out.reserveCapacity(text.utf8.count * 4 + 1_000_000)
        for copy in 0..<4 { out += text.replacingOccurrences(of: #"{"id":"req-"#, with: #"{"id":"c\#(copy)-req-"#) }
        return scratch.file("big.jsonl", out)
    }

    static func counts(_ db: String) throws -> (records: Int, outcomes: Int, partial: Int, integrity: String) {
        let database = try SQLiteDatabase(path: db)
        func number(_ sql: String) throws -> Int {
            let statement = try database.prepare(sql)
            _ = try statement.step()
            return statement.integer(0)
        }
        let check = try database.prepare("PRAGMA integrity_check")
        _ = try check.step()
        // Every record of the bundled log has exactly three outcomes; a record with fewer would be a torn batch.
        let partial = try number("SELECT count(*) FROM records r WHERE (SELECT count(*) FROM outcomes o WHERE o.record_id = r.id) != 3")
        return (try number("SELECT count(*) FROM records"), try number("SELECT count(*) FROM outcomes"), partial, check.text(0))
    }

    @Test(.tags(.slow)) func killedPartWayThenRerunCompletesWithNoDuplicatesAndNoLoss() throws {
        let scratch = Scratch()
        let log = try Self.bigLog(in: scratch)
        let db = scratch.path + "/store.db"
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: RouteSimBinary.path)
        ingest.arguments = ["ingest", "--log", log, "--db", db]
        ingest.standardOutput = FileHandle.nullDevice
        try ingest.run()
        // Kill it once some batches are in, before the end.
        var killedAt = 0
        for _ in 0..<400 {
            Thread.sleep(forTimeInterval: 0.05)
            if FileManager.default.fileExists(atPath: db), let records = try? Self.counts(db).records, records > 0 {
                killedAt = records
                break
            }
        }
        kill(ingest.processIdentifier, SIGKILL)
        ingest.waitUntilExit()
        #expect(ingest.terminationReason == .uncaughtSignal)
        let afterKill = try Self.counts(db)
        #expect(afterKill.integrity == "ok" && afterKill.partial == 0)
        #expect(killedAt > 0 && afterKill.records < 200_000, "the ingest finished before it could be killed")
        #expect(afterKill.outcomes == 3 * afterKill.records)

        let rerun = try RouteSimBinary.run(["ingest", "--log", log, "--db", db])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("200000 records read, \(200_000 - afterKill.records) added, \(afterKill.records) already stored"))
        let final = try Self.counts(db)
        #expect(final.records == 200_000 && final.outcomes == 600_000 && final.partial == 0 && final.integrity == "ok")
        // The killed ingest had set the filters' indexes aside to build them at its end; the rerun built them.
        let indexes = try SQLiteDatabase(path: db).prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'records_by_%'")
        _ = try indexes.step()
        #expect(indexes.integer(0) == 2)
    }
}

@Suite("two ingests into one store take turns")
struct ConcurrentIngestTests {
    @Test(.tags(.slow)) func twoIngestsAtOnceBothFinish() throws {
        let scratch = Scratch()
        let logs = (0..<2).map { part in
            scratch.file("part\(part).jsonl", (0..<30_000).map { SimulateCommandTests.line("p\(part)-\($0)") }.joined(separator: "\n") + "\n")
        }
        let processes = logs.map { log -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: RouteSimBinary.path)
            process.arguments = ["ingest", "--log", log, "--db", scratch.path + "/store.db"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])
        #expect(try IngestCrashTests.counts(scratch.path + "/store.db").records == 60_000)
    }
}

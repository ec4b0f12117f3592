import ArgumentParser
import Foundation
import RouteSimCore

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load logs into a SQLite store, to replay many times with --db.",
        discussion: """
            Records go in batched transactions (WAL mode), so an interrupted ingest leaves the \
            store consistent and can simply be run again. Re-ingesting a file adds nothing; a record \
            whose id is already stored with different content is reported (exit 2) and not replaced.

            Example:
              routesim ingest --log week1.jsonl.gz week2.jsonl.gz --db logs.db
              routesim simulate --db logs.db --since 2026-10-07T00:00:00Z \\
                --models models.yaml --policy policies.yaml --record-run
            """)

    @Option(name: .customLong("log"), parsing: .upToNextOption, help: "Logs in any format but RouterBench's, optionally .gz.")
    var logs: [String]

    @Option(help: "The store (created when missing).")
    var db: String

    @OptionGroup var logFormat: FormatOption

    @Flag(help: "Report invalid records and go on, instead of stopping at the first.")
    var skipInvalid = false

    func run() throws {
        var conflicts = 0
        try runReportingErrors {
            let store = try RecordStore(path: db)
            var ingest = Ingest(logs: logs)
            ingest.skipInvalid = skipInvalid
            ingest.format = logFormat.format
            ingest.progress = terminalProgress("ingesting")
            let reports = try ingest.run(into: store) { problem in
                FileHandle.standardError.write(Data("routesim: skipped \(problem.error)\n".utf8))
            }
            finishProgress()
            for report in reports {
                if report.alreadyIngested {
                    print("\(report.path): already ingested (same fingerprint); nothing added")
                    continue
                }
                print("\(report.path): \(report.read) records read, \(report.added) added, \(report.unchanged) already stored, "
                      + "\(report.rejected) rejected, \(report.conflicts.count) conflicting")
                for problem in report.conflicts.prefix(20) {
                    FileHandle.standardError.write(Data("routesim: \(problem.error)\n".utf8))
                }
                conflicts += report.conflicts.count
            }
            print("\(db): \(try store.recordCount()) records")
        }
        if conflicts > 0 { throw ExitCode(2) }
    }
}

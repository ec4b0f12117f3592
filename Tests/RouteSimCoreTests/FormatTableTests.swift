import Foundation
import Testing
import Yams
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel

/// Every log in datasets/formats/ replayed as production ran it (`kind: recorded`) must give the
/// totals its file in datasets/formats/expected/ states: a new format sample is tested by
/// dropping the log and `expected/<log name>.yaml` beside the others (datasets/formats/README.md).
@Suite("Format samples give their expected totals")
struct FormatTableTests {
    static let folder = RouteSimBinary.datasets + "/formats"

    /// The sample logs: every file of the folder but the catalog and the README.
    static var logs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasSuffix(".yaml") && !$0.hasSuffix(".md") && $0 != "expected" }.sorted()
    }

    /// The keys an expectation may state; a misspelt one fails rather than being ignored.
    static let keys: Set<String> = ["format", "models", "records", "rejected", "calls", "failed_calls", "cost_usd", "log_notes"]

    @Test func everySampleHasItsExpectedTotals() {
        #expect(Self.logs.count >= 7)
        for log in Self.logs {
            #expect(FileManager.default.fileExists(atPath: "\(Self.folder)/expected/\(log).yaml"), "datasets/formats/expected/\(log).yaml is missing")
        }
    }

    @Test(arguments: logs)
    func theSampleGivesItsExpectedTotals(log: String) throws {
        let text = try String(contentsOfFile: "\(Self.folder)/expected/\(log).yaml", encoding: .utf8)
        let expected = try #require(try Yams.load(yaml: text) as? [String: Any], "expected/\(log).yaml is not a mapping")
        #expect(Set(expected.keys).isSubset(of: Self.keys), "unknown keys in expected/\(log).yaml: \(Set(expected.keys).subtracting(Self.keys))")
        let catalog = try ModelCatalog.load(path: "\(Self.folder)/\((expected["models"] as? String) ?? "models.yaml")")
        var replay = Replay(catalog: catalog, policies: [Policy(name: "production", kind: .recorded)])
        replay.skipInvalid = true
        replay.format = try (expected["format"] as? String).map { try #require(LogFormat(rawValue: $0)) }
        var problems: [RecordProblem] = []
        let result = try replay.run(files: ["\(Self.folder)/\(log)"]) { problems.append($0) }
        let production = result.totals.policies[0]
        #expect(result.totals.accepted == expected["records"] as? Int, "records")
        #expect(result.rejected == (expected["rejected"] as? Int ?? 0), "rejected: \(problems)")
        #expect(production.calls == expected["calls"] as? Int, "calls")
        #expect(production.failedCalls == expected["failed_calls"] as? Int, "failed_calls")
        let cost = try #require(expected["cost_usd"] as? Double, "cost_usd")
        #expect(abs(production.cost.value - cost) <= 1e-12 + 1e-9 * cost, "cost_usd: \(production.cost.value), expected \(cost)")
        let notes = expected["log_notes"] as? [String: Int] ?? [:]
        let read = Self.notes(result.totals.logNotes)
        #expect(Set(notes.keys).isSubset(of: Set(read.keys)), "unknown log_notes keys: \(Set(notes.keys).subtracting(read.keys))")
        for (key, value) in read { #expect(value == notes[key] ?? 0, "log_notes.\(key)") }
    }

    /// The reading notes under their summary.json names.
    static func notes(_ notes: LogNotes) -> [String: Int] {
        ["unbilled_failed_calls": notes.unbilledFailedCalls, "retried_attempts": notes.retriedAttempts, "duplicate_calls": notes.duplicateCalls,
         "requests_across_lines": notes.requestsAcrossLines, "multi_call_requests": notes.multiCallRequests, "repriced_calls": notes.repricedCalls,
         "unanswered_batch_lines": notes.unansweredBatchLines, "untimed_calls": notes.untimedCalls]
    }
}

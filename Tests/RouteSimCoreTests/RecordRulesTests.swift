import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// The rules every record obeys are written once (`RecordRules`, docs/log-formats.md "Limits"):
/// the replay, `ingest` and the CSV reader refuse the same record for the same reason.
@Suite("One set of record rules, whatever reads the record")
struct RecordRulesTests {
    /// A canonical line breaking one rule, the same request as a long-CSV row (nil where CSV
    /// has no column for it), the field and the words of the refusal.
    static let breakers: [(json: String, csv: String?, field: String, reason: String)] = [
        (line(#""input_tokens":2e12"#), row(input: "2e12"), "input_tokens", "at most 1e12 tokens"),
        (line(#""input_tokens":10,"cached_input_tokens":11"#), row(cached: "11"), "cached_input_tokens", "must not exceed input_tokens"),
        (line(#""input_tokens":10,"cached_input_tokens":6,"cache_write_input_tokens":5"#), row(cached: "6", written: "5"),
         "cache_write_input_tokens", "must not exceed input_tokens"),
        (line(outcome: #""latency_ms":2e10"#), row(latency: "2e10"), "latency_ms", "at most 1e10 ms"),
        (line(outcome: #""latency_ms":-1"#), row(latency: "-1"), "latency_ms", "must be >= 0"),
        (line(outcome: #""cost_usd":2e6"#), row(cost: "2e6"), "cost_usd", "at most $1,000,000"),
        (line(outcome: #""quality":1.5"#), row(quality: "1.5"), "quality", "between 0 and 1"),
        (line(outcome: #""output_tokens":5,"reasoning_tokens":6"#), row(output: "5", reasoning: "6"), "reasoning_tokens", "must not exceed output_tokens"),
        (line(#""input_tokens":10,"category":"a\tb""#), row(category: "a\tb"), "category", "no newlines, tabs"),
        (line(#""input_tokens":10,"propensity":1.5"#), nil, "propensity", "between 0 and 1"),
        (line(#""input_tokens":10,"served_by":"a\u0007""#), nil, "served_by", "no newlines, tabs"),
        // The outcome has no output count of its own: the request's 5 tokens bound its reasoning.
        // (The canonical reader used to look at the outcome's own count only, and let this pass.)
        (line(#""input_tokens":10,"output_tokens":5"#, outcome: #""reasoning_tokens":6"#), nil, "reasoning_tokens", "must not exceed output_tokens"),
    ]

    static func line(_ request: String = #""input_tokens":10"#, outcome: String = "") -> String {
        let extra = outcome.isEmpty ? "" : "," + outcome
        return #"{"id":"a","ts":"2026-10-01T00:00:00Z",\#(request),"outcomes":{"small":{"success":true\#(extra)}}}"#
    }

    static func row(input: String = "10", cached: String = "", written: String = "", output: String = "", reasoning: String = "",
                    latency: String = "", cost: String = "", quality: String = "", category: String = "") -> String {
        "id,ts,input_tokens,cached_input_tokens,cache_write_input_tokens,output_tokens,reasoning_tokens,latency_ms,cost_usd,quality,category,model,success\n"
            + "a,2026-10-01T00:00:00Z,\(input),\(cached),\(written),\(output),\(reasoning),\(latency),\(cost),\(quality),\"\(category)\",small,true\n"
    }

    @Test(arguments: breakers)
    func theReplayRefusesIt(json: String, csv: String?, field: String, reason: String) throws {
        let problem = try RecordEdgeCaseTests.problem(json)
        #expect(problem.field.hasSuffix(field) && problem.reason.contains(reason), "\(problem)")
    }

    /// Ingests the one line `json` into an empty store, skipping what it refuses: what it reported,
    /// what it refused, and how many records the store then holds.
    static func ingest(_ json: String) throws -> (report: Ingest.FileReport, problems: [RecordProblem], stored: Int) {
        let fixture = Fixture()
        let store = try RecordStore(path: fixture.directory + "/store.db")
        var ingest = Ingest(logs: [fixture.file("log.jsonl", json + "\n")])
        ingest.skipInvalid = true
        var problems: [RecordProblem] = []
        let report = try ingest.run(into: store) { problems.append($0) }[0]
        return (report, problems, try store.recordCount())
    }

    @Test(arguments: breakers)
    func ingestRefusesItAsTheReplayDoes(json: String, csv: String?, field: String, reason: String) throws {
        let (report, problems, stored) = try Self.ingest(json)
        #expect(report.rejected == 1 && report.added == 0 && stored == 0)
        let replayed = try RecordEdgeCaseTests.problem(json)
        #expect(problems.first?.field == replayed.field && problems.first?.reason == replayed.reason, "\(problems)")
    }

    /// Ingest has no catalog to look model names up in, so it checks that each is a name at all,
    /// and names the outcomes that hold it (a step's, within the step).
    @Test(arguments: [
        (#"{"id":"a","ts":"2026-10-01T00:00:00Z","input_tokens":1,"outcomes":{"sm\u0007all":{"success":true}}}"#, "outcomes"),
        (#"{"id":"a","ts":"2026-10-01T00:00:00Z","steps":[{"name":"s","input_tokens":1,"outcomes":{"a\tb":{"success":true}}}]}"#,
         "steps[0].outcomes"),
    ])
    func ingestRefusesAModelNameThatIsNoName(json: String, field: String) throws {
        let (report, problems, stored) = try Self.ingest(json)
        #expect(report.rejected == 1 && report.added == 0 && stored == 0)
        #expect(problems.first?.field == field && problems.first?.reason.contains("no newlines, tabs") == true, "\(problems)")
    }

    /// Ingest passes names of printable ASCII at a glance and checks any other as text: a name
    /// that is not plain ASCII is kept when it is a name...
    @Test(arguments: [
        line(#""input_tokens":10,"category":"caf\u00e9""#),
        line(#""input_tokens":10,"category":" leading space""#),
        #"{"id":"a","ts":"2026-10-01T00:00:00Z","input_tokens":10,"outcomes":{"mod\u00e8le":{"success":true}}}"#,
        #"{"id":"a","ts":"2026-10-01T00:00:00Z","steps":[{"name":"\u00e9tape","input_tokens":1,"outcomes":{"s":{"success":true}}}]}"#,
    ])
    func ingestKeepsANameThatIsNotPlainASCII(json: String) throws {
        let (report, problems, stored) = try Self.ingest(json)
        #expect(report.added == 1 && problems.isEmpty && stored == 1, "\(problems)")
    }

    /// ...and refused, for the first reason the replay gives, when it is not, or when the record
    /// breaks another rule.
    @Test(arguments: [
        (line(#""input_tokens":10,"category":"   ""#), "category"),
        (line(#""input_tokens":10,"category":"caf\u00e9","propensity":1.5"#), "propensity"),
    ])
    func ingestRefusesARecordWithANameNotPlainAsTheReplayDoes(json: String, field: String) throws {
        let (report, problems, _) = try Self.ingest(json)
        let replayed = try RecordEdgeCaseTests.problem(json)
        #expect(report.rejected == 1 && replayed.field == field)
        #expect(problems.first?.field == replayed.field && problems.first?.reason == replayed.reason, "\(problems)")
    }

    @Test(arguments: breakers.filter { $0.csv != nil })
    func theCSVReaderRefusesItToo(json: String, csv: String?, field: String, reason: String) throws {
        let (result, problems) = try LogReadingTests.replay(try #require(csv), name: "log.csv")
        #expect(result.totals.accepted == 0 && result.rejected == 1)
        #expect(problems.first?.field.hasSuffix(field) == true && problems.first?.reason.contains(reason) == true, "\(problems)")
    }

    /// The boundaries themselves are allowed: the limits say "at most".
    @Test func valuesAtTheLimitsAreRead() throws {
        let text = Self.line(#""input_tokens":1000000000000,"cached_input_tokens":1000000000000"#,
                             outcome: #""latency_ms":1e10,"cost_usd":1e6,"quality":1,"output_tokens":3,"reasoning_tokens":3"#)
        let (result, problems) = try LogReadingTests.replay(text + "\n")
        #expect(problems.isEmpty && result.totals.accepted == 1, "\(problems)")
    }
}

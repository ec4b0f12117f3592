import Foundation
import Testing
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel

/// LiteLLM's payloads as its proxy writes them (docs/log-formats.md, "Formats people already
/// have"). Prices: the tests' catalog, 1,000 input and 500 output tokens cost $0.002 on small.
@Suite("LiteLLM: tags, names, date strings, unpriced calls and SpendLogs JSON")
struct LiteLLMReadingTests {
    static func payload(_ id: String, model: String = "small", cost: String = "0.002", extra: String = "") -> String {
        #"{"id":"\#(id)","trace_id":"","call_type":"acompletion","model":"\#(model)","status":"success","response_cost":\#(cost),"prompt_tokens":1000,"completion_tokens":500,"startTime":1790812800.0,"endTime":1790812801.0\#(extra)}"#
    }

    static func read(_ text: String, name: String = "log.litellm.jsonl", catalog: ModelCatalog = Fixture.catalog) throws
        -> (records: [Record], problems: [RecordProblem], notes: LogNotes) {
        let path = Fixture().file(name, text)
        let chunk = try LogFormat.table(path: path, catalog: catalog, format: .litellm)!
        guard case let .records(records, _, problems) = chunk.content else { return ([], [], chunk.notes) }
        return (records, problems, chunk.notes)
    }

    @Test func requestTagsGiveTheCategory() throws {
        let (records, problems, _) = try Self.read([
            Self.payload("a", extra: #","request_tags":["billing","eu"],"metadata":{"tags":["ignored"]}"#),
            Self.payload("b", extra: #","metadata":{"tags":["faq"]}"#),
        ].joined(separator: "\n") + "\n")
        #expect(problems.isEmpty && records.map(\.category) == ["billing", "faq"], "\(problems)")
    }

    @Test func aZeroCostLiteLLMCouldNotComputeIsRepricedNeverFree() throws {
        let unpriced = Self.payload("u", cost: "0.0", extra: #","response_cost_failure_debug_info":{"error_str":"This model isn't mapped yet.","model":"small"}"#)
        let (result, problems) = try LogReadingTests.replay(unpriced + "\n", name: "log.litellm.jsonl", policies: "name: p\nkind: recorded\n")
        #expect(problems.isEmpty, "\(problems)")
        // 1,000 × $1/M + 500 × $2/M from the catalog, not LiteLLM's $0.
        #expect(abs(result.totals.policies[0].cost.value - 0.002) < 1e-12 && result.totals.logNotes.repricedCalls == 1)
        // A catalog without a price for it refuses the call instead.
        let unpricedCatalog = try ModelCatalog.parse("models:\n  small: {tier: 1}\n", file: "m.yaml")
        var replay = Replay(catalog: unpricedCatalog, policies: [Policy(name: "p", kind: .recorded)])
        replay.skipInvalid = true
        var found: [RecordProblem] = []
        _ = try replay.run(files: [Fixture().file("log.litellm.jsonl", unpriced + "\n")]) { found.append($0) }
        #expect(found.first?.field == "outcomes.small" && found.first?.reason.contains("has no price") == true)
        // A recorded 0 without the note is a real $0 (a cached response, say).
        let free = try Self.read(Self.payload("f", cost: "0.0") + "\n")
        #expect(free.records[0].outcomes[0]!.costUSD == 0 && free.notes.repricedCalls == 0)
    }

    @Test func datesAsStringsAreRead() throws {
        let line = Self.payload("d").replacingOccurrences(of: #""startTime":1790812800.0,"endTime":1790812801.0"#,
                                                           with: #""startTime":"2026-10-01 00:00:00.250000","endTime":"2026-10-01T00:00:01.5Z""#)
        let (records, problems, _) = try Self.read(line + "\n")
        #expect(problems.isEmpty, "\(problems)")
        #expect(records[0].timestamp == 1_790_812_800.25 && abs(records[0].outcomes[0]!.latencyMs! - 1250) < 1e-6)
        let bad = try Self.read(Self.payload("x").replacingOccurrences(of: #""startTime":1790812800.0"#, with: #""startTime":"yesterday""#) + "\n")
        #expect(bad.problems.first?.field == "startTime" && bad.problems.first?.reason.contains("got 'yesterday'") == true)
    }

    @Test func providerPrefixesAndTheModelGroupMatchTheCatalog() throws {
        let (records, problems, _) = try Self.read([
            Self.payload("p", model: "openai/small"),
            Self.payload("g", model: "azure-eu-deployment-7", extra: #","model_group":"large""#),
        ].joined(separator: "\n") + "\n")
        #expect(problems.isEmpty, "\(problems)")
        #expect(records[0].outcomes[0] != nil && records[1].outcomes[2] != nil)
    }

    @Test func aFailedCallWithZeroCostBilledNothingAndItsRetryStands() throws {
        let failed = Self.payload("1", cost: "0.0").replacingOccurrences(of: #""status":"success""#, with: #""status":"failure""#)
            .replacingOccurrences(of: #""trace_id":"""#, with: #""trace_id":"t""#)
        let retry = Self.payload("2").replacingOccurrences(of: #""trace_id":"""#, with: #""trace_id":"t""#)
            .replacingOccurrences(of: "1790812800.0", with: "1790812802.0").replacingOccurrences(of: "1790812801.0", with: "1790812803.0")
        let (records, problems, notes) = try Self.read(failed + "\n" + retry + "\n")
        #expect(problems.isEmpty && records.count == 1 && records[0].outcomes[0]!.success && notes.retriedAttempts == 1)
    }

    @Test func spendLogsRowsAsJSONReadLikeTheCSVExport() throws {
        let json = """
            [
              {"request_id": "chatcmpl-a1", "call_type": "acompletion", "spend": 0.000276, "total_tokens": 1210, "prompt_tokens": 1000,
               "completion_tokens": 210, "startTime": "2026-10-01T09:15:02.101000Z", "endTime": "2026-10-01T09:15:02.861000Z",
               "model": "gpt-4o-mini", "model_group": "support-small", "session_id": "s-77", "status": "failure", "request_tags": ["technical"],
               "metadata": {"user_api_key_alias": null}},
              {"request_id": "chatcmpl-a2", "call_type": "acompletion", "spend": 0.0053, "total_tokens": 1280, "prompt_tokens": 1000,
               "completion_tokens": 280, "startTime": "2026-10-01T09:15:03Z", "endTime": "2026-10-01T09:15:05.5Z",
               "model": "gpt-4o", "model_group": "support-large", "session_id": "s-77", "status": "success", "request_tags": ["technical"]},
              {"request_id": "chatcmpl-b1", "call_type": "acompletion", "spend": 0.00006, "total_tokens": 250, "prompt_tokens": 200,
               "completion_tokens": 50, "startTime": "2026-10-01T09:20:00Z", "endTime": "2026-10-01T09:20:00.300Z",
               "model": "gpt-4o-mini", "model_group": "support-small", "session_id": null, "request_tags": []}
            ]
            """
        let catalog = ForeignFormatTests.catalog
        let path = Fixture().file("spend-logs.json", json + "\n")
        #expect(try LogFormat.detect(path: path) == .litellm)
        let fromJSON = try Self.read(json + "\n", name: "spend-logs.json", catalog: catalog)
        let fromCSV = try ForeignFormatTests.read("litellm-spendlogs.csv")
        #expect(fromJSON.problems.isEmpty, "\(fromJSON.problems)")
        #expect(fromJSON.records.map(\.id) == fromCSV.records.map(\.id) && fromJSON.records.map(\.category) == fromCSV.records.map(\.category))
        #expect(fromJSON.records.map(\.outcomes) == fromCSV.records.map(\.outcomes))
        #expect(zip(fromJSON.records, fromCSV.records).allSatisfy { abs($0.timestamp - $1.timestamp) < 1e-6 })
    }
}

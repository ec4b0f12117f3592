import Foundation
import Testing
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel

/// Langfuse observations and Helicone's request export (docs/log-formats.md, "Langfuse" and
/// "Helicone"). Prices: the tests' catalog, 1,000 input and 500 output tokens cost $0.002 on small.
@Suite("Langfuse and Helicone exports")
struct LangfuseHeliconeTests {
    static func read(_ text: String, name: String, format: LogFormat? = nil) throws -> (records: [Record], problems: [RecordProblem], notes: LogNotes) {
        let chunk = try LogFormat.table(path: Fixture().file(name, text), catalog: Fixture.catalog, format: format)!
        guard case let .records(records, _, problems) = chunk.content else { return ([], [], chunk.notes) }
        return (records, problems, chunk.notes)
    }

    static func generation(_ id: String, trace: String = "t", usage: String, extra: String = "") -> String {
        #"{"id":"\#(id)","traceId":"\#(trace)","type":"GENERATION","startTime":"2026-10-01T00:00:00Z","endTime":"2026-10-01T00:00:01.5Z","model":"small","usageDetails":\#(usage),"costDetails":{}\#(extra)}"#
    }

    @Test func formatsAreDetected() throws {
        #expect(try LogFormat.detect(path: RouteSimBinary.datasets + "/formats/langfuse-observations.jsonl") == .langfuse)
        #expect(try LogFormat.detect(path: RouteSimBinary.datasets + "/formats/helicone-export.csv") == .helicone)
    }

    @Test func langfuseUsagePartsAddUpToTheInputAndOutput() throws {
        let line = Self.generation("g", usage: #"{"input":400,"cache_read_input_tokens":500,"cache_creation_input_tokens":100,"output":300,"output_reasoning_tokens":200,"total":1500}"#)
        let (records, problems, _) = try Self.read(line + "\n", name: "o.jsonl", format: .langfuse)
        #expect(problems.isEmpty, "\(problems)")
        #expect(records[0].inputTokens == 1000 && records[0].cachedInputTokens == 500 && records[0].cacheWriteInputTokens == 100)
        let outcome = try #require(records[0].outcomes[0])
        #expect(outcome.outputTokens == 500 && outcome.reasoningTokens == 200 && abs(outcome.latencyMs! - 1500) < 1e-6 && outcome.costUSD == nil)
    }

    @Test func langfuseSkipsSpansAndRefusesWhatItCannotPlace() throws {
        let span = #"{"id":"s","traceId":"t","type":"SPAN","startTime":"2026-10-01T00:00:00Z"}"#
        let odd = Self.generation("g", usage: #"{"input":10,"image_units":3}"#)
        let (records, problems, _) = try Self.read(span + "\n" + odd + "\n", name: "o.jsonl", format: .langfuse)
        #expect(records.isEmpty && problems.count == 1 && problems[0].line == 2)
        #expect(problems[0].field == "usageDetails.image_units" && problems[0].reason.contains("cannot place"))
        let late = Self.generation("g", usage: #"{"input":1}"#).replacingOccurrences(of: "2026-10-01T00:00:01.5Z", with: "yesterday")
        #expect(try Self.read(late + "\n", name: "o.jsonl", format: .langfuse).problems.first?.field == "endTime")
    }

    @Test func aGenerationNestedInAGenerationOfTheSameModelIsOneCall() throws {
        // The LiteLLM integration's generation and the OpenAI integration's inside it.
        let outer = Self.generation("outer", usage: #"{"input":1000,"output":500}"#)
        let inner = Self.generation("inner", usage: #"{"input":1000,"output":500}"#, extra: #","parentObservationId":"outer""#)
        let (result, problems) = try LogReadingTests.replay(outer + "\n" + inner + "\n", name: "log.langfuse.jsonl", policies: "name: p\nkind: recorded\n")
        #expect(problems.isEmpty && result.totals.logNotes.duplicateCalls == 1)
        #expect(abs(result.totals.policies[0].cost.value - 0.002) < 1e-12 && result.totals.policies[0].calls == 1)
    }

    @Test func heliconeCountsCacheAndReasoningApartAndJoinsSessions() throws {
        let header = "request_id,request_created_at,response_created_at,response_status,model,prompt_tokens,prompt_cache_read_tokens,prompt_cache_write_tokens,completion_tokens,reasoning_tokens,cost,request_properties\n"
        let rows = [
            #"r1,2026-10-01 00:00:00,2026-10-01 00:00:02.5,200,small,200,700,100,300,200,,"{""Helicone-Session-Id"":""s"",""Category"":""faq""}""#,
            #"r2,2026-10-01 00:00:03,2026-10-01 00:00:04,500,small,0,0,0,0,0,0,"{""Helicone-Session-Id"":""s""}""#,
        ]
        let (records, problems, notes) = try Self.read(header + rows.joined(separator: "\n") + "\n", name: "h.csv")
        #expect(problems.isEmpty, "\(problems)")
        // One session: the answer, then a failed further call that billed nothing (a second step).
        #expect(records.count == 1 && records[0].category == "faq" && records[0].steps.count == 2)
        let first = records[0].steps[0]
        #expect(first.inputTokens == 1000 && first.cachedInputTokens == 700)
        #expect(first.outcomes[0]!.outputTokens == 500 && first.outcomes[0]!.reasoningTokens == 200 && abs(first.outcomes[0]!.latencyMs! - 2500) < 1e-6)
        #expect(records[0].steps[1].outcomes[0] == Outcome(success: false, latencyMs: 1000, outputTokens: 0, costUSD: 0))
        #expect(notes.unbilledFailedCalls == 1 && notes.multiCallRequests == 1)
    }

    @Test func heliconeRowsThatCannotBeReadNameLineAndField() throws {
        let header = "response_id,response_created_at,response_status,request_created_at,request_properties,model,prompt_tokens,completion_tokens,latency,cost\n"
        let text = header + #"a,2026-10-01 00:00:01,200,2026-10-01 00:00:00,{},small,10,5,,0.1"# + "\n"
            + #"b,2026-10-01 00:00:01,200,2026-10-01 00:00:00,not json,small,10,5,,"# + "\n"
            + #"c,2026-10-01 00:00:01,ok,2026-10-01 00:00:00,{},small,10,5,,"# + "\n"
            + #"d,2026-10-01 00:00:01,200,2026-10-01 00:00:00,{},small,10,5"# + "\n"
        let (records, problems, _) = try Self.read(text, name: "h.csv")
        #expect(records.count == 1 && problems.map(\.line) == [3, 4, 5])
        #expect(problems.map(\.field) == ["request_properties", "response_status", ""], "\(problems)")
        #expect(problems[2].reason.contains("has 8 fields where the header has 10"))
    }
}

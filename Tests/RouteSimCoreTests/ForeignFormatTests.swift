import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("Logs in the formats people already have")
struct ForeignFormatTests {
    static var catalog: ModelCatalog { try! ModelCatalog.load(path: RouteSimBinary.datasets + "/formats/models.yaml") }
    static func index(_ name: String) -> Int { catalog.index(of: name)! }

    static func read(_ name: String) throws -> (records: [Record], problems: [RecordProblem]) {
        let path = RouteSimBinary.datasets + "/formats/" + name
        guard case let .records(records, _, problems) = try LogFormat.table(path: path, catalog: catalog)!.content else { return ([], []) }
        return (records, problems)
    }

    @Test func formatsAreDetectedFromTheFirstLine() throws {
        for (file, format) in [("openai-batch.jsonl", LogFormat.openAIBatch), ("litellm.jsonl", .litellm), ("otel-genai.jsonl", .otelGenAI)] {
            #expect(try LogFormat.detect(path: RouteSimBinary.datasets + "/formats/" + file) == format)
        }
        #expect(try LogFormat.detect(path: RouteSimBinary.datasets + "/support-14d.jsonl.gz") == .canonical)
    }

    @Test func openAIBatch() throws {
        let (records, problems) = try Self.read("openai-batch.jsonl")
        #expect(problems.isEmpty && records.map(\.id) == ["ticket-1", "ticket-2", "ticket-3"], "\(problems)")
        let ticket = records[0]
        // Two lines with one custom_id: one request, two models (dated snapshots matched to the catalog's names).
        #expect(ticket.timestamp == 1_790_812_800 && ticket.inputTokens == 1200 && ticket.cachedInputTokens == 1024)
        #expect(ticket.outcomes[Self.index("gpt-4o-mini")]!.success && ticket.outcomes[Self.index("gpt-4o-mini")]!.outputTokens == 150)
        // gpt-4o's call cached nothing: it keeps its own counts and is priced at them.
        var gpt4o = Outcome(success: true, outputTokens: 180)
        gpt4o.input = InputCounts(tokens: 1200)
        #expect(ticket.outcomes[Self.index("gpt-4o")] == gpt4o)
        // ticket-2: gpt-4o's batch answered 400 with an error body: a failed call of gpt-4o, the
        // one batch of the file without an answer for it; its tokens are gpt-4o-mini's.
        #expect(records[1].outcomes[Self.index("gpt-4o")] == Outcome(success: false, outputTokens: 0, costUSD: 0))
        #expect(records[1].inputTokens == 80 && records[1].outcomes[Self.index("gpt-4o-mini")]!.success)
        // ticket-3: the error file's line (response null) is gpt-4o-mini's, placed at gpt-4o's answer time.
        #expect(records[2].outcomes[Self.index("gpt-4o-mini")] == Outcome(success: false, outputTokens: 0, costUSD: 0))
        #expect(records[2].timestamp == 1_790_812_806 && records[2].inputTokens == 300)
    }

    @Test func liteLLM() throws {
        let (records, problems) = try Self.read("litellm.jsonl")
        #expect(problems.isEmpty && records.map(\.id) == ["t-100", "c3"])
        let fallback = records[0]
        #expect(fallback.category == "billing" && fallback.timestamp == 1_790_812_800 && fallback.inputTokens == 900)
        // The first call failed (then LiteLLM fell back to gpt-4o): (endTime − startTime) = 0.4 s.
        let small = try #require(fallback.outcomes[Self.index("gpt-4o-mini")])
        #expect(!small.success && small.outputTokens == 0 && small.costUSD == 0 && abs(small.latencyMs! - 400) < 1e-3)
        let large = try #require(fallback.outcomes[Self.index("gpt-4o")])
        #expect(large.success && large.outputTokens == 240 && large.costUSD == 0.00401 && abs(large.latencyMs! - 2250) < 1e-3)
        // No trace id: the call's own id names the request; no tags, no category.
        #expect(records[1].category == nil && records[1].inputTokens == 300)
    }

    @Test func openAIBatchReasoningTokens() throws {
        let fixture = Fixture()
        let path = fixture.file("batch.jsonl", #"{"custom_id":"r","response":{"status_code":200,"body":{"model":"gpt-4o","created":1,"usage":{"prompt_tokens":10,"completion_tokens":300,"completion_tokens_details":{"reasoning_tokens":256}}}}}"# + "\n")
        guard case let .records(records, _, problems) = try LogFormat.table(path: path, catalog: Self.catalog)!.content else { return }
        #expect(problems.isEmpty && records[0].outcomes[Self.index("gpt-4o")]!.reasoningTokens == 256)
    }

    @Test func liteLLMSpendLogsCSV() throws {
        #expect(try LogFormat.detect(path: RouteSimBinary.datasets + "/formats/litellm-spendlogs.csv") == .litellm)
        let (records, problems) = try Self.read("litellm-spendlogs.csv")
        #expect(problems.isEmpty && records.map(\.id) == ["s-77", "chatcmpl-b1"])
        // session s-77: gpt-4o-mini failed, gpt-4o answered; request_tags gives the category.
        let session = records[0]
        #expect(session.category == "technical" && session.inputTokens == 1000)
        #expect(abs(session.timestamp - (1_790_812_800 + 9 * 3600 + 15 * 60 + 2.101)) < 1e-6)  // 2026-10-01 09:15:02.101 UTC
        let mini = try #require(session.outcomes[Self.index("gpt-4o-mini")])
        #expect(!mini.success && mini.costUSD == 0.000276 && mini.outputTokens == 210 && abs(mini.latencyMs! - 760) < 1e-3)
        #expect(session.outcomes[Self.index("gpt-4o")]!.success && abs(session.outcomes[Self.index("gpt-4o")]!.latencyMs! - 2500) < 1e-3)
        // No session, no status: its own request, a success; RFC 3339 times work too.
        #expect(records[1].outcomes[Self.index("gpt-4o-mini")]!.success && records[1].category == nil)
    }

    @Test func openTelemetryGenAI() throws {
        let (records, problems) = try Self.read("otel-genai.jsonl")
        #expect(problems.isEmpty && records.map(\.id) == ["a1", "b2", "c3"], "\(problems)")
        // openai-v2: gpt-4o-mini was rate limited (no usage: a failed call that billed nothing), gpt-4o
        // answered; the parent span without a model is not a call; the tokens are the billed call's.
        let a1 = records[0]
        #expect(a1.category == "faq" && a1.inputTokens == 700 && a1.cachedInputTokens == 256 && a1.timestamp == 1_790_812_800.01)
        let mini = try #require(a1.outcomes[Self.index("gpt-4o-mini")])
        #expect(!mini.success && mini.outputTokens == 0 && mini.costUSD == 0 && abs(mini.latencyMs! - 400) < 1e-6)
        #expect(a1.outcomes[Self.index("gpt-4o")]!.success && a1.outcomes[Self.index("gpt-4o")]!.outputTokens == 130)
        #expect(a1.calls == [Self.index("gpt-4o-mini"), Self.index("gpt-4o")])
        // OpenLLMetry, Anthropic: its input (2,300) already holds the 2,000 cache reads; not added again.
        #expect(records[1].inputTokens == 2300 && records[1].cachedInputTokens == 2000)
        #expect(records[1].outcomes[Self.index("claude-sonnet-4-5-20250929")]!.outputTokens == 210)
        // OpenInference names.
        #expect(records[2].inputTokens == 450 && records[2].outcomes[Self.index("gpt-4o-mini")]!.outputTokens == 75)
    }

    @Test(arguments: [
        ("openai-batch.jsonl", #"{"custom_id":"x","response":{"status_code":200,"body":{"model":"gpt-4o","created":1,"usage":{"completion_tokens":1}}}}"#,
         "response.body.usage.prompt_tokens", "is required"),
        ("openai-batch.jsonl", #"{"custom_id":"x","response":{"status_code":200,"body":{"model":"gpt-9","created":1,"usage":{"prompt_tokens":1,"completion_tokens":1}}}}"#,
         "model", "model 'gpt-9' is not in the catalog"),
        ("litellm.jsonl", #"{"id":"x","call_type":"completion","model":"gpt-4o","status":"done","prompt_tokens":1,"completion_tokens":1,"startTime":1,"endTime":2}"#,
         "status", "must be success or failure"),
        ("litellm.jsonl", #"{"id":"x","call_type":"completion","model":"gpt-4o","status":"success","prompt_tokens":-5,"completion_tokens":1,"startTime":1,"endTime":2}"#,
         "prompt_tokens", "must be a whole number >= 0"),
        ("otel-genai.jsonl", #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"t","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}}]}]}]}]}"#,
         "gen_ai.usage.input_tokens", "is required"),
        ("otel-genai.jsonl", #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"t""#, "resourceSpans[0].scopeSpans[0].spans[0].traceId", "the line ends inside this value"),
    ])
    func malformedLinesNameLineAndField(example: String, line: String, field: String, reason: String) throws {
        let fixture = Fixture()
        let good = try String(contentsOfFile: RouteSimBinary.datasets + "/formats/" + example, encoding: .utf8)
        let path = fixture.file(example, good + line + "\n")
        guard case let .records(_, _, problems) = try LogFormat.table(path: path, catalog: Self.catalog)!.content else { return }
        let problem = try #require(problems.first)
        #expect(problem.line == good.split(separator: "\n").count + 1)
        #expect(problem.field == field && problem.reason.contains(reason), "\(problem)")
    }
}

/// Files of the foreign JSON formats that are not one object per line (docs/log-formats.md).
@Suite("Foreign JSON files that are not JSON Lines")
struct ForeignJSONShapeTests {
    @Test func aPrettyPrintedOTLPExportIsReadAsOneDocument() throws {
        let compact = WorkflowOTelTests.export([WorkflowOTelTests.span("t9", "small", 0, 100)])
        let object = try JSONSerialization.jsonObject(with: Data(compact.utf8))
        let pretty = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self)
        #expect(pretty.split(separator: "\n").count > 10)
        let (result, problems) = try LogReadingTests.replay(pretty + "\n", name: "log.otel.jsonl", policies: "name: p\nkind: single\nmodel: small\n")
        #expect(problems.isEmpty && result.totals.accepted == 1, "\(problems)")
    }

    @Test func aJSONArrayOfBatchLinesGetsOneMessage() throws {
        let fixture = Fixture()
        let line = #"{"custom_id":"x","response":{"status_code":200,"body":{"model":"small","created":1,"usage":{"prompt_tokens":1,"completion_tokens":1}}}}"#
        let path = fixture.file("log.batch.jsonl", "[" + line + ",\n " + line.replacingOccurrences(of: "\"x\"", with: "\"y\"") + "]\n")
        var replay = Replay(catalog: Fixture.catalog, policies: [Policy(name: "p", kind: .single(model: 0))])
        replay.skipInvalid = true
        replay.format = .openAIBatch
        #expect(throws: RouteSimError.self) { _ = try replay.run(files: [path]) }
        do { _ = try replay.run(files: [path]) } catch {
            #expect("\(error)".contains("one JSON array") && "\(error)".contains("jq -c"), "\(error)")
        }
    }
}

import Foundation
import Testing
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel

/// How the calls of real traces become requests (docs/log-formats.md, "Calls, retries and
/// duplicates"). Prices (tests' catalog): small $1/$2, large $100/$200 per million input/output
/// tokens, so a call of 1,000 input and 500 output tokens costs $0.002 on small, $0.2 on large.
@Suite("Traces with failures, retries, tool loops and duplicate spans")
struct TraceReadingTests {
    /// A model span from `start` to `end` ms after 2026-10-01T00:00:00Z, with usage unless `usage` is nil.
    static func span(_ trace: String, _ model: String, _ start: Double, _ end: Double, usage: (Int, Int)? = (1000, 500),
                     error: String? = nil, id: String? = nil, parent: String? = nil, extra: [String: String] = [:]) -> String {
        let base: Int64 = 1_790_812_800_000_000_000
        let nanos = { (ms: Double) in base + Int64(ms * 1e6) }
        var attributes = [#"{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}}"#,
                          #"{"key":"gen_ai.request.model","value":{"stringValue":"\#(model)"}}"#]
        if let (input, output) = usage {
            attributes.append(#"{"key":"gen_ai.usage.input_tokens","value":{"intValue":"\#(input)"}}"#)
            attributes.append(#"{"key":"gen_ai.usage.output_tokens","value":{"intValue":"\#(output)"}}"#)
        }
        if let error { attributes.append(#"{"key":"error.type","value":{"stringValue":"\#(error)"}}"#) }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) {
            let wrapped = Int(value) != nil ? #"{"intValue":"\#(value)"}"# : #"{"stringValue":"\#(value)"}"#
            attributes.append(#"{"key":"\#(key)","value":\#(wrapped)}"#)
        }
        let status = error != nil ? #","status":{"code":2,"message":"\#(error!)"}"# : ""
        let spanID = id ?? "\(model)-\(Int(start))"
        let parentField = parent.map { #","parentSpanId":"\#($0)""# } ?? ""
        return #"{"traceId":"\#(trace)","spanId":"\#(spanID)"\#(parentField),"name":"chat \#(model)","kind":3,"startTimeUnixNano":"\#(nanos(start))","endTimeUnixNano":"\#(nanos(end))","attributes":[\#(attributes.joined(separator: ","))]\#(status)}"#
    }

    static func export(_ spans: [String]) -> String {
        #"{"resourceSpans":[{"scopeSpans":[{"scope":{"name":"opentelemetry.instrumentation.openai_v2"},"spans":[\#(spans.joined(separator: ","))]}]}]}"#
    }

    static func read(_ lines: [String]) throws -> (records: [Record], problems: [RecordProblem], notes: LogNotes) {
        let path = Fixture().file("trace.otel.jsonl", lines.joined(separator: "\n") + "\n")
        let chunk = try LogFormat.table(path: path, catalog: Fixture.catalog)!
        guard case let .records(records, _, problems) = chunk.content else { return ([], [], chunk.notes) }
        return (records, problems, chunk.notes)
    }

    static let small = 0, large = 2

    @Test func aFailedCallWithoutUsageIsKeptAsAFailedCallThatBilledNothing() throws {
        let (records, problems, notes) = try Self.read([Self.export([
            Self.span("t", "small", 0, 100, usage: nil, error: "RateLimitError"), Self.span("t", "large", 120, 620),
        ])])
        #expect(problems.isEmpty, "\(problems)")
        let record = try #require(records.first)
        // The fallback: one request, small failed ($0, nothing billed), large answered; tokens from the billed call.
        #expect(record.steps.isEmpty && record.inputTokens == 1000 && record.calls == [Self.small, Self.large])
        #expect(record.outcomes[Self.small] == Outcome(success: false, latencyMs: 100, outputTokens: 0, costUSD: 0))
        #expect(record.outcomes[Self.large]!.success && record.outcomes[Self.large]!.costUSD == nil)
        #expect(notes.unbilledFailedCalls == 1 && notes.retriedAttempts == 0)
    }

    @Test func anUnreadableSpanRefusesItsOwnTraceNotTheOthersOnTheLine() throws {
        let (records, problems, _) = try Self.read([Self.export([
            Self.span("bad", "small", 0, 100, usage: nil), Self.span("good", "large", 0, 500),
        ])])
        #expect(records.map(\.id) == ["good"])
        let problem = try #require(problems.first)
        #expect(problems.count == 1 && problem.line == 1 && problem.field == "gen_ai.usage.input_tokens")
        #expect(problem.reason.hasPrefix("request 'bad' is refused: is required on a successful span"), "\(problem.reason)")
    }

    @Test func callsAfterASuccessfulCallAreFurtherStepsInTimeOrder() throws {
        // A tool loop: large three times, the tool running in between.
        let (records, problems, notes) = try Self.read([Self.export([
            Self.span("loop", "large", 400, 500), Self.span("loop", "large", 0, 100), Self.span("loop", "large", 200, 300),
        ])])
        #expect(problems.isEmpty, "\(problems)")
        let record = try #require(records.first)
        #expect(record.steps.map(\.name) == ["call 1", "call 2", "call 3"] && record.steps.map(\.after) == [[], [0], [0, 1]])
        #expect(record.steps.allSatisfy { $0.calls == [Self.large] } && notes.multiCallRequests == 1)
        // Every call is paid: 3 × $0.2; the calls run one after another: 3 × 100 ms.
        let (result, _) = try LogReadingTests.replay(Self.export([
            Self.span("loop", "large", 400, 500), Self.span("loop", "large", 0, 100), Self.span("loop", "large", 200, 300),
        ]) + "\n", name: "t.otel.jsonl", policies: "name: p\nkind: single\nmodel: large\n")
        #expect(abs(result.totals.policies[0].cost.value - 0.6) < 1e-12 && result.totals.policies[0].latencies == [300])
    }

    @Test func aRetriedAttemptThatBilledNothingGivesWayToItsRetry() throws {
        let (records, problems, notes) = try Self.read([Self.export([
            Self.span("r", "small", 0, 50, usage: nil, error: "APITimeoutError"), Self.span("r", "small", 60, 160),
        ])])
        #expect(problems.isEmpty, "\(problems)")
        #expect(records[0].steps.isEmpty && records[0].outcomes[Self.small]!.success && records[0].calls == [Self.small])
        #expect(notes.retriedAttempts == 1 && notes.unbilledFailedCalls == 0)
    }

    @Test func aTraceSplitAcrossExportLinesIsJoined() throws {
        let (records, problems, notes) = try Self.read([
            Self.export([Self.span("s", "small", 0, 100)]), Self.export([Self.span("s", "large", 150, 650)]),
        ])
        #expect(problems.isEmpty, "\(problems)")
        #expect(records.count == 1 && records[0].line == 1 && records[0].steps.map(\.name) == ["call 1", "call 2"])
        #expect(notes.requestsAcrossLines == 1)
    }

    @Test func aCallTracedTwiceIsCountedOnce() throws {
        // Nested: an instrumentation's span around the SDK's own span of the same call.
        let nested = try Self.read([Self.export([
            Self.span("n", "large", 0, 502, id: "outer"), Self.span("n", "large", 1, 500, id: "inner", parent: "outer"),
        ])])
        #expect(nested.records[0].steps.isEmpty && nested.records[0].calls == [Self.large] && nested.notes.duplicateCalls == 1)
        // Siblings sharing the provider's response id.
        let siblings = try Self.read([Self.export([
            Self.span("i", "large", 0, 500, extra: ["gen_ai.response.id": "chatcmpl-1"]),
            Self.span("i", "large", 40, 800, extra: ["gen_ai.response.id": "chatcmpl-1"]),
        ])])
        #expect(siblings.records[0].calls == [Self.large] && siblings.notes.duplicateCalls == 1)
        // In another trace holding nothing else (the SDK's tracing, not joined to the app's trace).
        let apart = try Self.read([Self.export([
            Self.span("app", "small", 0, 100, parent: "handler"), Self.span("app", "large", 200, 700, parent: "handler"),
            Self.span("sdk", "large", 203, 698),
        ])])
        #expect(apart.records.map(\.id) == ["app"] && apart.records[0].steps.count == 2 && apart.notes.duplicateCalls == 1)
    }

    @Test func similarCallsOfDifferentRequestsAreNotDuplicates() throws {
        // Same model and timing, different token counts; same everything in two traces of one call
        // each, under their own handlers; and in two busy traces.
        let (records, _, notes) = try Self.read([Self.export([
            Self.span("u1", "large", 0, 500), Self.span("u2", "large", 1, 501, usage: (1001, 500)),
            Self.span("w1", "large", 5000, 5500, parent: "h1"), Self.span("w2", "large", 5002, 5502, parent: "h2"),
            Self.span("v1", "small", 0, 10), Self.span("v1", "large", 600, 1100),
            Self.span("v2", "small", 0, 10), Self.span("v2", "large", 600, 1100),
        ])])
        #expect(records.map(\.id) == ["u1", "u2", "w1", "w2", "v1", "v2"] && notes.duplicateCalls == 0, "\(records.map(\.id)) \(notes)")
    }

    @Test func cacheTokensArePartOfTheInputAndCountedOnce() throws {
        // OpenLLMetry's Anthropic instrumentation writes input = uncached 300 + cache reads 2,000 + writes 500.
        let (records, problems, _) = try Self.read([Self.export([
            Self.span("c", "large", 0, 100, usage: (2800, 40), extra: [
                "gen_ai.system": "Anthropic", "gen_ai.usage.cache_read_input_tokens": "2000",
                "gen_ai.usage.cache_write.input_tokens": "500", "gen_ai.usage.reasoning.output_tokens": "30"]),
        ])])
        #expect(problems.isEmpty, "\(problems)")
        #expect(records[0].inputTokens == 2800 && records[0].cachedInputTokens == 2000 && records[0].cacheWriteInputTokens == 500)
        #expect(records[0].outcomes[Self.large]!.reasoningTokens == 30)
    }

    @Test func cacheCountsLargerThanTheInputAreRefusedNotClamped() throws {
        let (records, problems, _) = try Self.read([Self.export([
            Self.span("c", "large", 0, 100, usage: (300, 40), extra: ["gen_ai.usage.cache_read_input_tokens": "2000"]),
        ])])
        #expect(records.isEmpty && problems.first?.field == "gen_ai.usage.cache_read_input_tokens")
        #expect(problems.first?.reason.contains("exceed the input tokens (300)") == true)
    }
}

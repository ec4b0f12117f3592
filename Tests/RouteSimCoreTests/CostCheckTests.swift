import Foundation
import Testing
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel

/// The cost checks (`validate --lint`, summary.json's `input.cost_checks`; docs/metrics.md,
/// "Cost checks"). Prices: the tests' catalog, small $1/$2 per million input/output tokens, so
/// 1,000 input and 500 output tokens cost $0.002.
@Suite("Cost checks: what makes a cost figure doubtful")
struct CostCheckTests {
    static func line(_ id: String, input: Int = 1000, outcome: String = #""success":true,"output_tokens":500"#) -> String {
        #"{"id":"\#(id)","ts":"2026-10-01T00:00:00Z","input_tokens":\#(input),"outcomes":{"small":{\#(outcome)}}}"#
    }

    /// Replays `text` and returns the counts and every finding, in file order.
    static func check(_ text: String, name: String = "log.jsonl", tolerance: Double = 0.05, catalog: ModelCatalog = Fixture.catalog,
                      chunkSize: Int? = nil, threads: Int = 1) throws -> (lint: CostLint, findings: [(CostLint.Kind, RecordProblem)]) {
        var replay = Replay(catalog: catalog, policies: [Policy(name: "p", kind: .recorded)])
        replay.skipInvalid = true
        replay.costTolerance = tolerance
        replay.threads = threads
        if let chunkSize { replay.chunkSize = chunkSize }
        var findings: [(CostLint.Kind, RecordProblem)] = []
        replay.onCostFinding = { findings.append(($0, $1)) }
        let result = try replay.run(files: [Fixture().file(name, text)])
        return (result.totals.lint, findings)
    }

    @Test func callsPricedFromTokensThatCountedNoneAreFlagged() throws {
        let text = [Self.line("ok"), Self.line("empty", input: 0), Self.line("mute", outcome: #""success":true,"output_tokens":0"#),
                    Self.line("paid", input: 0, outcome: #""success":true,"output_tokens":0,"cost_usd":0.01"#),
                    Self.line("failed", outcome: #""success":false,"output_tokens":0"#)].joined(separator: "\n") + "\n"
        let (lint, findings) = try Self.check(text)
        // A recorded cost does not hang on the tokens (though $0.01 for no tokens is a mismatch with
        // the catalog's $0); a failure without output is not doubtful.
        #expect(lint[.zeroTokenCalls] == 2 && lint[.costMismatches] == 1)
        let zero = findings.filter { $0.0 == .zeroTokenCalls }.map(\.1)
        #expect(zero.map(\.line) == [2, 3] && zero.map(\.field) == ["input_tokens", "outcomes.small.output_tokens"])
    }

    @Test func recordedCostsTheCatalogDisagreesWithBeyondTheToleranceAreFlagged() throws {
        // The catalog prices each at $0.002: $0.0021 is 4.8% apart, $0.003 is 33% apart.
        let text = [Self.line("near", outcome: #""success":true,"output_tokens":500,"cost_usd":0.0021"#),
                    Self.line("far", outcome: #""success":true,"output_tokens":500,"cost_usd":0.003"#),
                    Self.line("unbilled", outcome: #""success":false,"output_tokens":500,"cost_usd":0"#)].joined(separator: "\n") + "\n"
        let (lint, findings) = try Self.check(text)
        #expect(lint[.costMismatches] == 1 && findings.first?.1.line == 2 && findings.first?.1.field == "outcomes.small.cost_usd")
        #expect(findings.first?.1.reason.contains("records $0.003, but models.yaml prices this call at $0.002 (33.3% apart") == true, "\(findings)")
        #expect(try Self.check(text, tolerance: 0.5).lint[.costMismatches] == 0)
    }

    /// A step's findings name the step: its own input tokens, and its outcome's fields.
    @Test func findingsOnStepsNameTheStep() throws {
        let steps = [#"{"name":"intent","input_tokens":0,"outcomes":{"small":{"success":true,"output_tokens":5}}}"#,
                     #"{"name":"answer","input_tokens":1000,"outcomes":{"small":{"success":true,"output_tokens":500,"cost_usd":0.003}}}"#,
                     #"{"name":"check","input_tokens":1000,"outcomes":{"small":{"success":true,"output_tokens":0}}}"#]
        let text = #"{"id":"s","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"steps":["# + steps.joined(separator: ",") + "]}\n"
        var replay = Replay(catalog: Fixture.catalog, policies: [Policy(name: "p", kind: .single(model: 0))])
        var findings: [(CostLint.Kind, RecordProblem)] = []
        replay.onCostFinding = { findings.append(($0, $1)) }
        let result = try replay.run(files: [Fixture().file("steps.jsonl", text)])
        #expect(result.totals.accepted == 1)
        #expect(findings.map(\.1.field) == ["steps[0].input_tokens", "steps[1].outcomes.small.cost_usd", "steps[2].outcomes.small.output_tokens"],
                "\(findings)")
    }

    @Test func callsOfUnpricedModelsAreFlagged() throws {
        let catalog = try ModelCatalog.parse("models:\n  small: {tier: 1}\n", file: "m.yaml")
        let (lint, findings) = try Self.check(Self.line("a", outcome: #""success":true,"output_tokens":5,"cost_usd":0.01"#) + "\n", catalog: catalog)
        #expect(lint[.unpricedCalls] == 1 && findings.first?.1.reason.contains("has no price in m.yaml") == true)
    }

    @Test func aModelWhoseEveryCallCountsTheSameTokensIsFlaggedWhateverTheChunking() throws {
        let alike = (0..<CostLint.constantMinimum).map { Self.line("r\($0)") }
        let (lint, findings) = try Self.check(alike.joined(separator: "\n") + "\n")
        #expect(lint[.constantTokenModels] == 1 && findings.first?.1.line == 1 && findings.first?.1.field == "outcomes.small")
        let chunked = try Self.check(alike.joined(separator: "\n") + "\n", chunkSize: 300, threads: 3).lint
        #expect(chunked.counts == lint.counts && chunked.sameness.map(\.calls) == lint.sameness.map(\.calls))
        #expect(try Self.check(alike.dropLast().joined(separator: "\n") + "\n").lint[.constantTokenModels] == 0)
        let varied = alike.dropLast() + [Self.line("other", input: 999)]
        #expect(try Self.check(varied.joined(separator: "\n") + "\n", chunkSize: 300, threads: 3).lint[.constantTokenModels] == 0)
    }

    @Test func cacheCountsAboveTheirTotalsAreRefusedAndCounted() throws {
        let text = Self.line("ok") + "\n" + Self.line("over").replacingOccurrences(of: #""input_tokens":1000"#, with: #""input_tokens":1000,"cached_input_tokens":1001"#) + "\n"
        let (lint, findings) = try Self.check(text)
        #expect(lint[.countsOverTotals] == 1 && findings.first?.1.field == "cached_input_tokens")
    }

    @Test func callsTracedTwiceAreListedWithTheirLines() throws {
        let spans = [TraceReadingTests.export([TraceReadingTests.span("t", "small", 0, 500, id: "outer")]),
                     TraceReadingTests.export([TraceReadingTests.span("t", "small", 1, 499, id: "inner", parent: "outer")])]
        let (lint, findings) = try Self.check(spans.joined(separator: "\n") + "\n", name: "t.otel.jsonl")
        #expect(lint[.duplicateSpans] == 1 && findings.first?.1.line == 2)
        #expect(findings.first?.1.reason.contains("repeats the one on line 1 (nested in a span of the same model)") == true, "\(findings)")
    }

    @Test func aTraceThatLostSpansIsFlaggedButARemoteParentIsNot() throws {
        // t1: one root whose parent lives in another service's log: a normal trace.
        let remote = TraceReadingTests.export([TraceReadingTests.span("t1", "small", 0, 500, id: "a", parent: "upstream")])
        // t2: a root and a span whose parent is missing: spans were lost.
        let cut = TraceReadingTests.export([TraceReadingTests.span("t2", "small", 0, 500, id: "b"),
                                            TraceReadingTests.span("t2", "small", 600, 900, id: "c", parent: "lost")])
        let (lint, findings) = try Self.check(remote + "\n" + cut + "\n", name: "t.otel.jsonl")
        #expect(lint[.orphanSpans] == 1 && findings.first?.1.line == 2)
        #expect(findings.first?.1.field == "resourceSpans[0].scopeSpans[0].spans[1].parentSpanId")
        #expect(findings.first?.1.reason.contains("trace 't2': span 'c' names parent 'lost'") == true)
    }
}

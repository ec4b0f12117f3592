import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel

/// `kind: recorded` replays what production did (docs/policies.md, "What production did").
/// Prices as in `TraceReadingTests`: 1,000 input and 500 output tokens cost $0.002 on small, $0.2 on large.
@Suite("What production did: kind recorded, calls and failed calls")
struct RecordedPolicyTests {
    static let policies = "name: production\nkind: recorded\n---\nname: all-small\nkind: single\nmodel: small\n"

    @Test func aFallbackIsPaidForEveryCallAndAnsweredByTheLast() throws {
        let text = TraceReadingTests.export([
            TraceReadingTests.span("f", "small", 0, 100, usage: nil, error: "RateLimitError"), TraceReadingTests.span("f", "large", 120, 620),
        ]) + "\n"
        let (result, problems) = try LogReadingTests.replay(text, name: "t.otel.jsonl", policies: Self.policies)
        #expect(problems.isEmpty, "\(problems)")
        let production = result.totals.policies[0], small = result.totals.policies[1]
        // $0 (nothing billed) + $0.2; answered by large; 100 + 500 ms.
        #expect(abs(production.cost.value - 0.2) < 1e-12 && production.successes == 1 && production.latencies == [600])
        #expect(production.calls == 2 && production.failedCalls == 1)
        // Sending it to small alone: one call, which failed.
        #expect(small.calls == 1 && small.failedCalls == 1 && small.successes == 0)
    }

    @Test func aToolLoopIsPaidForEveryTurn() throws {
        let text = TraceReadingTests.export((0..<3).map { TraceReadingTests.span("loop", "large", Double($0) * 200, Double($0) * 200 + 100) }) + "\n"
        let (result, problems) = try LogReadingTests.replay(text, name: "t.otel.jsonl", policies: "name: production\nkind: recorded\n")
        #expect(problems.isEmpty, "\(problems)")
        #expect(abs(result.totals.policies[0].cost.value - 0.6) < 1e-12 && result.totals.policies[0].calls == 3)
    }

    @Test func aCanonicalRecordIsReplayedByItsServedBy() throws {
        let served = LogReadingTests.line(#","served_by":"large""#, id: "a", outcomes: #""small":{"success":false},"large":{"success":true,"latency_ms":900}"#)
        let unsaid = LogReadingTests.line("", id: "b", outcomes: #""small":{"success":false},"large":{"success":true}"#)
        let (result, problems) = try LogReadingTests.replay(served + "\n" + unsaid + "\n", policies: "name: production\nkind: recorded\n")
        // a: large's call, 10 input and 5 output tokens: 10·100/1e6 + 5·200/1e6 = $0.002.
        #expect(result.totals.accepted == 1 && abs(result.totals.policies[0].cost.value - 0.002) < 1e-12)
        let problem = try #require(problems.first)
        #expect(problem.line == 2 && problem.field == "served_by" && problem.reason.contains("does not say which model served it"))
    }

    @Test func aRecordedPolicyIsTheDefaultBaseline() throws {
        let catalog = Fixture.catalog
        let policies = [Policy(name: "all-large", kind: .single(model: 2)), Policy(name: "production", kind: .recorded)]
        #expect(try SimulationSummary.baselineName(nil, policies: policies, catalog: catalog) == "production")
        #expect(try SimulationSummary.baselineName("all-large", policies: policies, catalog: catalog) == "all-large")
    }
}

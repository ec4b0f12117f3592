import Foundation
import Testing
@testable import RouteSimCore

/// What the charts show, read from their gnuplot scripts: the oracle is no trade-off, a policy
/// that loses quality is no payback, and the recommended policy is named wherever it appears.
@Suite("Charts show what the report concludes")
struct ChartContentTests {
    static func summary() throws -> SimulationSummary {
        let fixture = Fixture()
        // small fails on 400 of 2,000 requests; medium on none; large on none.
        let log = (0..<2000).map { index in
            #"{"id":"r\#(index)","ts":"2026-10-0\#(index % 5 + 1)T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":\#(index >= 400),"latency_ms":100},"medium":{"success":true,"latency_ms":300},"large":{"success":true,"latency_ms":900}}}"#
        }.joined(separator: "\n") + "\n"
        let policies = ["large", "small", "medium"].map { "name: \($0)\nkind: single\nmodel: \($0)\n" }.joined(separator: "---\n") + "---\nname: oracle\nkind: oracle\n"
        var simulation = Simulation(logs: [fixture.file("log.jsonl", log)], catalogPath: fixture.file("m.yaml", Fixture.catalogYAML),
                                    policyPaths: [fixture.file("p.yaml", policies)])
        simulation.options = SimulationSummary.Options(baseline: "large", monthlyVolume: 1_000_000, engineeringCostUSD: 10_000)
        simulation.renderer = .off
        return try simulation.run(outputDirectory: fixture.directory + "/out").summary
    }

    @Test func theFrontierHullLeavesOutTheOracleAndTheRecommendedPolicyIsRinged() throws {
        let summary = try Self.summary()
        let script = SimulationCharts.frontier(summary).script
        let hull = script.components(separatedBy: "$hull << EOD\n")[1].components(separatedBy: "EOD")[0]
        let oracle = try #require(summary.policies.first { $0.name == "oracle" })
        let medium = try #require(summary.policies.first { $0.name == "medium" })
        // The oracle costs less than medium at the same success: on a hull with it, medium would not be.
        #expect(oracle.cpiUSD < medium.cpiUSD && oracle.successRate == medium.successRate)
        #expect(hull.contains(Chart.number(medium.cpiUSD)) && !hull.contains(Chart.number(oracle.cpiUSD)))
        #expect(script.contains("'medium (recommended)'") && script.contains("'oracle (bound)'") && script.contains("pt 6 ps 3.2"))
    }

    @Test func thePaybackChartFeaturesOnlyPoliciesThatKeepQuality() throws {
        let summary = try Self.summary()
        let script = try #require(SimulationCharts.payback(summary)).script
        #expect(script.contains("'medium (recommended)'"))
        #expect(!script.contains("'small'"), "small saves most but fails 20% of requests")
    }

    @Test func everyChartNamesTheRecommendedPolicy() throws {
        let summary = try Self.summary()
        for chart in SimulationCharts.charts(for: summary) {
            #expect(chart.script.contains("medium (recommended)"), "\(chart.name)")
        }
    }

    @Test func theTimelineShowsCostPerRequest() throws {
        let summary = try Self.summary()
        let script = SimulationCharts.timeline(summary).script
        #expect(script.contains("USD per request"))
        // large costs $0.2 a request every day.
        #expect(script.contains(" 0.2 100.0\n"))
    }
}

import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

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
        return try Fixture.simulate(simulation, into: fixture.directory + "/out")
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

    /// The horizon is 1.5× the slowest payback, 12 to 120 months: a payback of centuries, or none
    /// that a number can hold, is drawn over 120 months.
    @Test(arguments: [(4.0, 12), (20, 30), (1e300, 120), (.infinity, 120), (nil, 18)] as [(Double?, Int)])
    func thePaybackChartSpansOneAndAHalfTimesTheSlowestPayback(slowest: Double?, months: Int) {
        let chart = PaybackChart.make(name: "payback", series: [("a", 100)], investment: 1e308, rollout: [], slowestPayback: slowest, altText: "")
        #expect(chart.script.contains("set xrange [0:\(months)]"), "\(chart.script)")
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

@Suite("History, compare and latency charts read truly")
struct OtherChartTests {
    @Test func historyDrawsRunsOverDifferentInputsApart() {
        func run(_ id: Int, _ input: String) -> RunHistory.Run {
            RunHistory.Run(id: id, recordedAt: "t", command: "simulate", inputFingerprint: input, policyHash: "h", version: "v",
                           cpiUSD: Double(id), successRate: 0.9)
        }
        let script = HistoryReport.charts([run(1, "store: 10 of 50"), run(2, "store: 50 of 50"), run(3, "store: 10 of 50")], policy: "p")[0].script
        #expect(script.contains("index 0") && script.contains("index 1") && script.contains("(input 2)"))
        #expect(script.contains("1 1.0 90.0\n3 3.0 90.0\n\n\n2 2.0 90.0"))
    }

    @Test func theInputOfAStoreRunCountsTheRecordsItSelected() throws {
        let fixture = Fixture()
        let lines = [LogReadingTests.line(#","category":"faq""#, id: "a"), LogReadingTests.line(#","category":"billing""#, id: "b")]
        let db = fixture.directory + "/s.db"
        _ = try Ingest(logs: [fixture.file("log.jsonl", lines.joined(separator: "\n") + "\n")]).run(into: try RecordStore(path: db))
        let input = try RunHistory.inputFingerprint(logs: [], store: (db, StoreQuery(categories: ["faq"])))
        #expect(input.hasPrefix("store: 1 of 2 records"), "\(input)")
    }

    @Test func theLatencyLinesCannotHideEachOther() throws {
        let summary = try ChartContentTests.summary()
        let lines = SimulationCharts.latency(summary).script.split(separator: "\n").filter { $0.contains("$cdf index") }
        let dashes = lines.compactMap { line in line.range(of: #"dt \S+"#, options: .regularExpression).map { String(line[$0]) } }
        #expect(Set(dashes).count == lines.count && lines.count == 4)
    }
}

@Suite("compare's chart does not magnify a tiny difference")
struct CompareChartTests {
    @Test func theSuccessAxisSpansAtLeastTenPoints() throws {
        let fixture = Fixture()
        let log = (0..<200).map { index in
            #"{"id":"r\#(index)","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":\#(index != 0)},"large":{"success":true}}}"#
        }.joined(separator: "\n") + "\n"
        let result = try PolicyComparison(logs: [fixture.file("log.jsonl", log)], catalogPath: fixture.file("m.yaml", Fixture.catalogYAML),
                                          policyPaths: [fixture.file("p.yaml", "name: large\nkind: single\nmodel: large\n---\nname: small\nkind: single\nmodel: small\n")],
                                          baseline: "large", candidate: "small").run()
        let script = CompareCharts.charts(for: result)[0].script
        let range = try #require(script.range(of: #"set yrange \[[0-9.]+:[0-9.]+\]"#, options: .regularExpression))
        let bounds = script[range].dropFirst(12).dropLast().split(separator: ":").compactMap { Double($0) }
        #expect(bounds.count == 2 && bounds[1] - bounds[0] >= 10 && bounds[1] <= 100, "\(script[range])")
    }
}

import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Four requests (1,000 in / 500 out tokens: small $0.002, medium $0.02, large $0.2 a call):
///   r1 small ✓ medium ✓ large ✓ → oracle small
///   r2 small ✗ medium ✓ large ✓ → oracle medium
///   r3 small ✗ medium ✗ large ✓ → oracle large
///   r4 all ✗                    → unsolvable
/// spanning exactly one day, so the monthly volume is 4 / 1 day × 30 days = 120.
@Suite("Metrics (docs/metrics.md) on a hand-computed log")
struct MetricsTests {
    static let log = """
        {"id":"r1","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":true,"latency_ms":100},"medium":{"success":true,"latency_ms":200},"large":{"success":true,"latency_ms":1000}}}
        {"id":"r2","ts":"2026-10-01T08:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":false,"latency_ms":100},"medium":{"success":true,"latency_ms":300},"large":{"success":true,"latency_ms":1100}}}
        {"id":"r3","ts":"2026-10-01T16:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":false,"latency_ms":150},"medium":{"success":false,"latency_ms":400},"large":{"success":true,"latency_ms":1200}}}
        {"id":"r4","ts":"2026-10-02T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":false,"latency_ms":120},"medium":{"success":false,"latency_ms":500},"large":{"success":false,"latency_ms":1300}}}

        """
    static let policies = """
        name: always-large
        kind: single
        model: large
        ---
        name: always-small
        kind: single
        model: small
        ---
        name: oracle
        kind: oracle
        """

    static func summary(engineeringCost: Double? = 100) throws -> SimulationSummary {
        let fixture = Fixture()
        let catalog = Fixture.catalog
        let policies = try PolicyLoader.load(paths: [fixture.file("p.yaml", Self.policies)], catalog: catalog)
        let result = try Replay(catalog: catalog, policies: policies).run(files: [fixture.file("log.jsonl", Self.log)])
        return try SimulationSummary(result: result, policies: policies, catalog: catalog,
                                     options: .init(engineeringCostUSD: engineeringCost))
    }

    @Test func alwaysLarge() throws {
        let summary = try Self.summary()
        let large = summary.policies[0]
        #expect(summary.baseline == "always-large")
        #expect(abs(large.totalCostUSD - 0.8) < 1e-12)        // 4 × 0.2
        #expect(abs(large.cpiUSD - 0.2) < 1e-12)
        #expect(large.successRate == 0.75)                      // r1, r2, r3
        #expect(large.overRoutingRate == 0.5)                   // r1 (small would do), r2 (medium would do)
        #expect(large.underRoutingRate == 0)
        #expect(large.unsolvableRate == 0.25)                   // r4
        #expect(large.routingAccuracy == 0.25)                  // 1 − 0.5 − 0 − 0.25
        #expect(large.modelMix.map(\.model) == ["large"] && large.modelMix[0].share == 1)
        // Sorted latencies 1000, 1100, 1200, 1300: p50 at rank 1.5 → 1150; p95 at 2.85 → 1285; p99 at 2.97 → 1297.
        let latency = try #require(large.latency)
        #expect([latency.p50, latency.p95, latency.p99, latency.mean] == [1150, 1285, 1297, 1150] && latency.requests == 4)
        // The chart's CDF, from a latency sketch: at q the latency of rank ⌊q·3⌋ within 0.5% —
        // the fastest (1000) at 0%, rank 1 (1100) at 50%, the slowest (1300) at 100%.
        let near = { (value: Double, exact: Double) in abs(value - exact) / exact < 0.005 }
        #expect(latency.cdf.count == 101 && near(latency.cdf[0], 1000) && near(latency.cdf[50], 1100) && near(latency.cdf[100], 1300))
        #expect(near(latency.cdf[66], 1100) && near(latency.cdf[67], 1200))
        // Wilson 95% for 3/4, from scipy.stats.binomtest(3, 4).proportion_ci(method="wilson").
        let ci = try #require(large.successCI95)
        #expect(abs(ci.lowerBound - 0.30064184258240184) < 1e-9 && abs(ci.upperBound - 0.9544127391902995) < 1e-9)
        #expect(large.qualityGapRecovered == 1)                 // (0.75 − 0.25) / (0.75 − 0.25)
    }

    @Test func alwaysSmallSavingsAndPayback() throws {
        let small = try Self.summary().policies[1]
        #expect(abs(small.cpiUSD - 0.002) < 1e-15)
        #expect(small.successRate == 0.25)
        #expect(small.underRoutingRate == 0.5)                  // r2, r3
        #expect(small.overRoutingRate == 0)
        #expect(small.routingAccuracy == 0.25)
        // Sorted 100, 100, 120, 150: p50 110; p95 at 2.85 → 120 + 0.85·30 = 145.5; p99 → 149.1; mean 117.5.
        let latency = try #require(small.latency)
        #expect(latency.p50 == 110 && abs(latency.p95 - 145.5) < 1e-9 && abs(latency.p99 - 149.1) < 1e-9 && latency.mean == 117.5)
        let savings = try #require(small.savings)
        #expect(abs(savings.cpiUSD - 0.198) < 1e-12)            // 0.2 − 0.002
        #expect(abs(savings.pct! - 99) < 1e-9)                  // 0.198 / 0.2
        #expect(abs(savings.monthlyUSD! - 23.76) < 1e-9)        // 0.198 × 120
        #expect(abs(savings.annualUSD! - 285.12) < 1e-9)        // × 12
        #expect(abs(small.paybackMonths! - 100 / 23.76) < 1e-9)
        #expect(small.qualityGapRecovered == 0)
    }

    @Test func oracleIsTheCostFloorAtFullQuality() throws {
        let oracle = try Self.summary().policies[2]
        // r1 small 0.002, r2 medium 0.02, r3 large 0.2, r4 pays the cheapest (small 0.002) and fails.
        #expect(abs(oracle.totalCostUSD - 0.224) < 1e-12 && abs(oracle.cpiUSD - 0.056) < 1e-12)
        #expect(oracle.successRate == 0.75 && oracle.overRoutingRate == 0 && oracle.underRoutingRate == 0)
        #expect(oracle.routingAccuracy == 0.75)
        #expect(oracle.modelMix.map(\.model) == ["small", "medium", "large"])
        #expect(oracle.modelMix.map(\.share) == [0.5, 0.25, 0.25])
    }

    @Test func intervalsBracketTheEstimates() throws {
        let summary = try Self.summary()
        // always-large costs 0.2 on every request: every bootstrap replicate gives 0.2.
        let large = try #require(summary.policies[0].cpiCI95)
        #expect(abs(large.lowerBound - 0.2) < 1e-12 && abs(large.upperBound - 0.2) < 1e-12)
        let small = summary.policies[1]
        // always-small saves 0.198 on every request, so the paired savings interval is a point too,
        // while the oracle's costs vary by request and its interval has width.
        let savings = try #require(small.savings?.cpiUSDCI95)
        #expect(abs(savings.lowerBound - 0.198) < 1e-12 && abs(savings.upperBound - 0.198) < 1e-12)
        let monthly = try #require(small.savings?.monthlyUSDCI95)
        #expect(abs(monthly.lowerBound - 23.76) < 1e-9)
        let payback = try #require(small.paybackMonthsCI95)
        #expect(abs(payback.low - 100 / 23.76) < 1e-9 && abs(payback.high! - 100 / 23.76) < 1e-9)
        let oracle = try #require(summary.policies[2].cpiCI95)
        #expect(oracle.lowerBound < 0.056 && oracle.upperBound > 0.056, "\(oracle)")
    }

    @Test func paybackIsNullWithAReason() throws {
        let summary = try Self.summary(engineeringCost: nil)
        #expect(summary.policies[1].paybackMonths == nil && summary.policies[1].paybackNote == "no --engineering-cost given")
        let withCost = try Self.summary()
        // always-large saves nothing against itself.
        #expect(withCost.policies[0].paybackMonths == nil)
        #expect(withCost.policies[0].paybackNote == "never: it saves nothing against always-large")
    }

    /// faq: c1 (small ✓, large ✓), c2 (small ✗, large ✓); legal: c3 (both ✗); c4 has no category.
    @Test func byCategory() throws {
        let log = """
            {"id":"c1","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"category":"faq","outcomes":{"small":{"success":true},"large":{"success":true}}}
            {"id":"c2","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"category":"faq","outcomes":{"small":{"success":false},"large":{"success":true}}}
            {"id":"c3","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"category":"legal","outcomes":{"small":{"success":false},"large":{"success":false}}}
            {"id":"c4","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":true},"large":{"success":true}}}

            """
        let fixture = Fixture()
        let catalog = Fixture.catalog
        let policies = try PolicyLoader.load(paths: [fixture.file("p.yaml", Self.policies)], catalog: catalog)
        let result = try Replay(catalog: catalog, policies: policies).run(files: [fixture.file("log.jsonl", log)])
        let summary = try SimulationSummary(result: result, policies: policies, catalog: catalog, options: .init())
        let large = summary.policies[0].byCategory, small = summary.policies[1].byCategory
        #expect(large.map(\.category) == ["faq", "legal"])
        // always-large on faq: 2 requests, both succeed, c1 over-routed by 0.2 − 0.002 = 0.198; cost 0.4.
        #expect(large[0].requests == 2 && large[0].successRate == 1 && large[0].overRoutingRate == 0.5 && large[0].underRoutingRate == 0)
        #expect(abs(large[0].overRoutingExcessUSD - 0.198) < 1e-12 && abs(large[0].costUSD - 0.4) < 1e-12)
        // legal: c3 is unsolvable, so neither over- nor under-routed.
        #expect(large[1].requests == 1 && large[1].successRate == 0 && large[1].overRoutingRate == 0 && large[1].underRoutingRate == 0)
        // always-small on faq: c2 fails where large succeeds: under-routed.
        #expect(small[0].underRoutingRate == 0.5 && small[0].overRoutingExcessUSD == 0)
    }

    @Test func monthlyVolumeFromTheLogsOwnRate() throws {
        let summary = try Self.summary()
        #expect(abs(summary.monthlyVolume! - 120) < 1e-9)
        #expect(summary.recordsRead == 4 && summary.accepted == 4 && summary.rejected == 0)
    }
}

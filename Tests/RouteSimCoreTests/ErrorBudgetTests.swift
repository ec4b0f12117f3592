import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// The four requests of `MetricsTests`: r1–r3 on 2026-10-01, r4 (unsolvable) on 2026-10-02.
@Suite("Error budgets per window (docs/metrics.md)")
struct ErrorBudgetTests {
    static let slo = "window: 1d\nsuccess: 0.5\nrouting_accuracy: 0.3\nmodels: {small: 0.4}\n"

    static func budgets() throws -> [String: ErrorBudget] {
        let fixture = Fixture()
        let catalog = Fixture.catalog
        let policies = try PolicyLoader.load(paths: [fixture.file("p.yaml", MetricsTests.policies)], catalog: catalog)
        let spec = try SLOSpec.parse(Self.slo, file: "slo.yaml", catalog: catalog)
        var replay = Replay(catalog: catalog, policies: policies)
        replay.windowSeconds = spec.windowSeconds
        let result = try replay.run(files: [fixture.file("log.jsonl", MetricsTests.log)])
        var options = SimulationSummary.Options()
        options.slo = spec
        let summary = try SimulationSummary(result: result, policies: policies, catalog: catalog, options: options)
        return Dictionary(uniqueKeysWithValues: summary.policies.map { ($0.name, $0.errorBudget!) })
    }

    @Test func alwaysSmall() throws {
        let budget = try #require(try Self.budgets()["always-small"])
        #expect(budget.windows == 2)
        // Day 1: 1 of 3 succeed (r1). success 1/3 < 0.5, burn (2/3)/0.5 = 4/3; routing 1/3 ≥ 0.3: no breach;
        //        answers from small 1/3 < 0.4, burn (2/3)/0.6 = 10/9.
        // Day 2: r4 fails and is unsolvable: success 0 (burn 2), routing 0 (burn 1/0.7), small 0 (burn 1/0.6).
        let day1 = 1_790_812_800.0, day2 = day1 + 86_400
        let expected: [(Double, String, Double, Double)] = [
            (day1, "success", 1.0 / 3, 4.0 / 3), (day1, "model:small", 1.0 / 3, 10.0 / 9),
            (day2, "success", 0, 2), (day2, "routing_accuracy", 0, 1 / 0.7), (day2, "model:small", 0, 1 / 0.6),
        ]
        #expect(budget.breaches.count == expected.count)
        for (breach, (start, subject, observed, burn)) in zip(budget.breaches, expected) {
            #expect(breach.windowStart == start && breach.subject == subject)
            #expect(abs(breach.observed - observed) < 1e-12 && abs(breach.burn - burn) < 1e-12)
        }
        #expect(budget.breaches.map(\.requests) == [3, 3, 1, 1, 1])
    }

    @Test func alwaysLargeAndOracle() throws {
        let budgets = try Self.budgets()
        // always-large, day 1: success 3/3; routed right only r3 (r1, r2 over-routed): 1/3 ≥ 0.3; no small answers.
        #expect(try #require(budgets["always-large"]).breaches.map(\.subject) == ["success", "routing_accuracy"])
        // The oracle routes right whenever a request is solvable; r4 still fails on day 2.
        #expect(try #require(budgets["oracle"]).breaches.map(\.subject) == ["success", "routing_accuracy", "model:small"])
    }

    @Test func sloFileErrors() throws {
        #expect(throws: RouteSimError.self) { try SLOSpec.parse("window: 2 weeks\nsuccess: 0.9\n", file: "s.yaml", catalog: Fixture.catalog) }
        #expect(throws: RouteSimError.self) { try SLOSpec.parse("window: 1d\n", file: "s.yaml", catalog: Fixture.catalog) }
        #expect(throws: RouteSimError.self) { try SLOSpec.parse("models: {huge: 0.9}\n", file: "s.yaml", catalog: Fixture.catalog) }
        #expect(throws: RouteSimError.self) { try SLOSpec.parse("success: 1.5\n", file: "s.yaml", catalog: Fixture.catalog) }
        #expect(SLOSpec.duration("6h") == 21_600 && SLOSpec.duration("30m") == 1_800 && SLOSpec.duration("1w") == nil)
        // Windows under a minute (down to ones no window number can hold) are refused, naming the
        // field; a minute is the shortest.
        for tiny in ["0.000000000001s", "1e-300s", "59s", "0.5m"] {
            #expect { try SLOSpec.parse("window: \(tiny)\nsuccess: 0.9\n", file: "s.yaml", catalog: Fixture.catalog) } throws: {
                "\($0)".contains("s.yaml:1: window: must be at least a minute")
            }
        }
        #expect(try SLOSpec.parse("window: 1m\nsuccess: 0.9\n", file: "s.yaml", catalog: Fixture.catalog).windowSeconds == 60)
    }
}

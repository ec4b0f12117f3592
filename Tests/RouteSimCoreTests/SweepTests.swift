import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("sweep: one pass for all settings, and the frontier's geometry")
struct SweepTests {
    static let policy = """
        name: c
        kind: cascade
        steps:
          - model: small
            accept_if: {confidence: {gte: 0.8}}
          - model: large
        check: {cost_usd: 0.001, latency_ms: 5}
        """

    /// 60 requests with varied small-model confidences and successes.
    static var log: String {
        (0..<60).map { index in
            let confidence = Double((index * 37) % 100) / 100
            return #"{"id":"s\#(index)","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"#
                + #""small":{"success":\#(index % 3 != 0),"confidence":\#(confidence)},"large":{"success":\#(index % 7 != 0)}}}"#
        }.joined(separator: "\n") + "\n"
    }

    /// The sweep's bisection must give, for every setting, exactly what replaying that setting alone gives.
    @Test func equalsReplayingEverySettingAlone() throws {
        let fixture = Fixture()
        let logPath = fixture.file("log.jsonl", Self.log), policyPath = fixture.file("p.yaml", Self.policy)
        let catalogPath = fixture.file("models.yaml", Fixture.catalogYAML)
        let values = Sweep.grid(from: 0, to: 1, count: 41)
        var sweep = Sweep(logs: [logPath], catalogPath: catalogPath, policyPaths: [policyPath], policyName: "c",
                          parameter: "steps[0].accept_if.confidence.gte", values: values)
        sweep.inputs.threads = 2
        let result = try sweep.run()
        let catalog = Fixture.catalog
        let plan = try SweepPlan(policyName: "c", parameter: try ParameterPath("steps[0].accept_if.confidence.gte"),
                                 values: values, paths: [policyPath], catalog: catalog)
        let alone = try Replay(catalog: catalog, policies: plan.variants).run(files: [logPath])
        for (index, point) in result.frontier.points.enumerated() {
            let metrics = PolicyMetrics(name: "v", totals: alone.totals.policies[index], catalog: catalog)
            #expect(abs(point.cpiUSD - metrics.cpiUSD) < 1e-15, "setting \(values[index])")
            #expect(point.successRate == metrics.successRate, "setting \(values[index])")
            #expect(point.strongShare == metrics.modelMix.first { $0.model == "large" }?.share ?? 0)
        }
    }

    @Test func parameterPathsAreCheckedAgainstThePolicy() throws {
        let fixture = Fixture()
        let path = fixture.file("p.yaml", Self.policy)
        #expect(throws: RouteSimError.self) {
            try SweepPlan(policyName: "c", parameter: try ParameterPath("steps[3].accept_if.confidence.gte"), values: [0.5],
                          paths: [path], catalog: Fixture.catalog)
        }
        #expect(throws: RouteSimError.self) {
            try SweepPlan(policyName: "c", parameter: try ParameterPath("steps[0].model"), values: [0.5], paths: [path], catalog: Fixture.catalog)
        }
        #expect(throws: RouteSimError.self) { try ParameterPath("steps[x].gte") }
        #expect(throws: RouteSimError.self) { try ParameterPath("a..b") }
    }

    static func point(_ cost: Double, _ success: Double, share: Double? = nil, pgr: Double? = nil) -> Frontier.Point {
        Frontier.Point(value: cost, cpiUSD: cost, successRate: success, strongShare: share, pgr: pgr)
    }

    /// Points (cost, success): A(1, .5) B(2, .8) C(3, .82) D(4, .95) E(2.5, .6) F(5, .9).
    /// Pareto: A, B, C, D (E is beaten by B; F by D). Upper hull: A, B, D (C lies under the chord B–D:
    /// at cost 3 the chord gives .8 + .15/2 = .875 > .82), cut at D, the most successful.
    @Test func paretoAndHullByHand() {
        let frontier = Frontier(points: [Self.point(1, 0.5), Self.point(2, 0.8), Self.point(3, 0.82), Self.point(4, 0.95),
                                         Self.point(2.5, 0.6), Self.point(5, 0.9)])
        #expect(frontier.pareto == [0, 1, 2, 3])
        #expect(frontier.hull == [0, 1, 3])
        #expect(frontier.cheapest(meeting: 0.81) == 2)
        #expect(frontier.cheapest(meeting: 0.99) == nil)
    }

    /// (share, PGR): (0.2, 0.4), (0.5, 0.9), with anchors (0, 0) and (1, 1).
    /// CPT(50%) between (0.2, .4) and (0.5, .9): 0.2 + (0.1/0.5)·0.3 = 0.26. CPT(80%): 0.2 + (0.4/0.5)·0.3 = 0.44.
    /// APGR = 0.2·0.2 + 0.3·0.65 + 0.5·0.95 = 0.04 + 0.195 + 0.475 = 0.71.
    @Test func routeLLMFiguresByHand() throws {
        let frontier = Frontier(points: [Self.point(1, 0.6, share: 0.2, pgr: 0.4), Self.point(2, 0.8, share: 0.5, pgr: 0.9)])
        #expect(abs(try #require(frontier.callsToReach(0.5)) - 0.26) < 1e-12)
        #expect(abs(try #require(frontier.callsToReach(0.8)) - 0.44) < 1e-12)
        #expect(abs(try #require(frontier.averagePGR) - 0.71) < 1e-12)
    }
}

@Suite("sweep settings read as meant")
struct SweepSettingTests {
    @Test func gridValuesCarryNoFloatError() {
        let values = Sweep.grid(from: 0.5, to: 1, count: 51)
        #expect(values[7] == 0.57 && "\(values[7])" == "0.57")
        #expect(values.allSatisfy { "\($0)".count <= 4 }, "\(values)")
        #expect(Sweep.grid(from: 0.1, to: 0.3, count: 3) == [0.1, 0.2, 0.3])
        #expect(Sweep.grid(from: 0, to: 1, count: 4).map { "\($0)" } == ["0.0", "0.333333333", "0.666666667", "1.0"])
    }

    /// A sweep row's setting, copied into a policy file, gives the row's CPI and success.
    @Test func aCopiedSettingReproducesItsRow() throws {
        let fixture = Fixture()
        let logPath = fixture.file("log.jsonl", SweepTests.log), policyPath = fixture.file("p.yaml", SweepTests.policy)
        let catalogPath = fixture.file("models.yaml", Fixture.catalogYAML)
        let values = Sweep.grid(from: 0.5, to: 1, count: 51)
        let result = try Sweep(logs: [logPath], catalogPath: catalogPath, policyPaths: [policyPath], policyName: "c",
                               parameter: "steps[0].accept_if.confidence.gte", values: values).run()
        for index in [7, 20, 30] {
            let row = result.frontier.points[index]
            let copied = SweepTests.policy.replacingOccurrences(of: "gte: 0.8", with: "gte: \(row.value)")
            let alone = try Replay(catalog: Fixture.catalog, policies: [try Fixture.policy(copied)]).run(files: [logPath])
            let metrics = PolicyMetrics(name: "c", totals: alone.totals.policies[0], catalog: Fixture.catalog)
            #expect(metrics.cpiUSD == row.cpiUSD && metrics.successRate == row.successRate, "\(row.value)")
        }
    }

    @Test func aFeatureWithADotInItsKeyCanBeSwept() throws {
        let policy = "name: r\nkind: router\nrules:\n  - if: {features.score: {gte: 0.5}}\n    model: large\ndefault: small\n"
        let node = try YAMLNode.document(of: policy, file: "p.yaml").node
        let path = try ParameterPath("rules[0].if.features.score.gte")
        let changed = try path.setting(0.75, in: node, policy: "r")
        let parsed = try PolicyLoader.parse(YAMLNode(node: changed, file: "p.yaml", path: ""), catalog: Fixture.catalog)
        guard case let .router(router) = parsed.kind, case let .compare(comparison) = router.rules[0].conditions[0].test else {
            Issue.record("not a router with a comparison")
            return
        }
        #expect(comparison.value == 0.75)
    }

    @Test func aWrongPathSaysWhatIsThereInWords() throws {
        let node = try YAMLNode.document(of: SweepTests.policy, file: "p.yaml").node
        #expect {
            _ = try ParameterPath("steps[0].accept_if.confidence.gt").setting(0.5, in: node, policy: "c")
        } throws: { error in
            let text = "\(error)"
            return text.contains("no key 'gt'") && text.contains("keys there: gte") && !text.contains("key(\"")
        }
    }
}

@Suite("sweep: the strong model's share counts its calls")
struct SweepStrongShareTests {
    static func sweep(_ policy: String, _ parameter: String, log: String = SweepTests.log) throws -> SweepResult {
        let fixture = Fixture()
        return try Sweep(logs: [fixture.file("log.jsonl", log)], catalogPath: fixture.file("models.yaml", Fixture.catalogYAML),
                         policyPaths: [fixture.file("p.yaml", policy)], policyName: "c", parameter: parameter,
                         values: Sweep.grid(from: 0, to: 1, count: 11)).run()
    }

    @Test func aStrongFirstCascadeCallsTheStrongModelEveryTime() throws {
        let policy = "name: c\nkind: cascade\nsteps:\n  - model: large\n    accept_if: {confidence: {gte: 0.5}}\n  - model: small\n"
        let log = (0..<20).map { index in
            #"{"id":"s\#(index)","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":true},"large":{"success":true,"confidence":\#(Double(index) / 20)}}}"#
        }.joined(separator: "\n") + "\n"
        let result = try Self.sweep(policy, "steps[0].accept_if.confidence.gte", log: log)
        #expect(result.strongName == "large" && result.weakName == "small")
        #expect(result.frontier.points.allSatisfy { $0.strongShare == 1 }, "\(result.frontier.points.map(\.strongShare))")
    }

    @Test func aRecordedRouterSweptOnItsBandGetsTheTwoModelFigures() throws {
        let policy = "name: c\nkind: router\nuse_recorded: true\nconfidence: {use_at_least: 0.5, below: large}\n"
        let log = (0..<40).map { index in
            #"{"id":"s\#(index)","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"router":{"model":"small","confidence":\#(Double(index % 10) / 10)},"outcomes":{"small":{"success":\#(index % 3 != 0)},"large":{"success":true}}}"#
        }.joined(separator: "\n") + "\n"
        let result = try Self.sweep(policy, "confidence.use_at_least", log: log)
        #expect(result.strongName == "large" && result.weakName == "small")
        // use_at_least 0: small answers all (strong share 0); 1: large answers all.
        #expect(result.frontier.points.first?.strongShare == 0 && result.frontier.points.last?.strongShare == 1)
        #expect(result.frontier.averagePGR != nil && result.frontier.callsToReach(0.5) != nil)
    }
}

@Suite("sweep: a setting that cannot decide is named")
struct SweepMissingOutcomeTests {
    @Test func theSettingThatNeedsAMissingOutcomeIsNamed() throws {
        let fixture = Fixture()
        let log = #"{"id":"a","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":true,"confidence":0.6}}}"# + "\n"
        var sweep = Sweep(logs: [fixture.file("log.jsonl", log)], catalogPath: fixture.file("models.yaml", Fixture.catalogYAML),
                          policyPaths: [fixture.file("p.yaml", SweepTests.policy)], policyName: "c",
                          parameter: "steps[0].accept_if.confidence.gte", values: [0.5, 0.9])
        sweep.inputs.skipInvalid = true
        var problems: [RecordProblem] = []
        #expect(throws: RouteSimError.self) { _ = try sweep.run { problems.append($0) } }
        #expect(problems.first?.reason.contains("policy 'c[steps[0].accept_if.confidence.gte=0.9]' needs model 'large'") == true,
                "\(problems)")
    }
}

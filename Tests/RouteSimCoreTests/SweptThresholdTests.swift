import Testing
@testable import RouteSimEngine
@testable import RouteSimModel

@Suite("sweep: a swept threshold splits each record's settings where its comparison changes")
struct SweptThresholdTests {
    /// The plan for `parameter` of the one policy in `yaml`, over `values`.
    static func plan(_ yaml: String, _ parameter: String, values: [Double]) throws -> SweepPlan {
        let path = Fixture().file("p.yaml", yaml)
        let name = try #require(yaml.split(separator: "\n").first?.dropFirst("name: ".count))
        return try SweepPlan(policyName: String(name), parameter: try ParameterPath(parameter), values: values, paths: [path],
                             catalog: Fixture.catalog)
    }

    /// The plan's pieces, spread out to one decision a setting, must be each setting's own decision.
    static func expectPiecesMatchEverySetting(_ plan: SweepPlan, _ records: [Record]) throws {
        let catalog = Fixture.catalog
        for record in records {
            var prices = RecordPrices(modelCount: catalog.count)
            try prices.update(for: record, catalog: catalog)
            var spread: [Decision] = []
            try plan.pieces(record, prices: prices, catalog: catalog) { range, decision in
                #expect(range.lowerBound == spread.count)
                spread += Array(repeating: decision, count: range.count)
            }
            let alone = try plan.variants.map { try $0.decide(record, prices: prices, catalog: catalog) }
            let first = alone.indices.first { !spread.indices.contains($0) || spread[$0] != alone[$0] }
            let wrong = first.map { "setting \(plan.values[$0]): \(spread.indices.contains($0) ? "\(spread[$0])" : "none") instead of \(alone[$0])" }
            #expect(spread.count == alone.count && wrong == nil, "\(wrong ?? "") for \(record)")
        }
    }

    /// Settings that include the records' own values, so that `gte` and `gt` differ on them.
    static let values = [0, 0.1, 0.25, 0.3, 0.5, 0.51, 0.75, 0.9, 1]

    static let confidences: [Double?] = [nil, 0, 0.05, 0.25, 0.5, 0.505, 0.9, 1, 1.5]

    @Test(arguments: ["gte", "gt", "lte", "lt"])
    func aCascadeStepsTest(op: String) throws {
        let yaml = "name: c\nkind: cascade\nsteps:\n  - model: small\n    accept_if: {confidence: {\(op): 0.5}, quality: {gte: 0.2}}\n"
            + "  - model: medium\n    accept_if: {confidence: {gte: 0.7}}\n  - model: large\n"
        let plan = try Self.plan(yaml, "steps[0].accept_if.confidence.\(op)", values: Self.values)
        #expect(plan.threshold != nil)
        let records = Self.confidences.flatMap { confidence in
            [nil, 0.1, 0.8].map { quality in
                Fixture.record(["small": Outcome(success: quality == 0.8, quality: quality, latencyMs: 10, confidence: confidence),
                                "medium": Outcome(success: true, latencyMs: 20, confidence: 0.75), "large": ok])
            }
        }
        try Self.expectPiecesMatchEverySetting(plan, records)
    }

    @Test func aLaterCascadeStep() throws {
        let yaml = "name: c\nkind: cascade\nsteps:\n  - model: small\n    accept_if: {confidence: {gte: 0.5}}\n"
            + "  - model: medium\n    accept_if: {confidence: {gte: 0.7}}\n  - model: large\n"
        let plan = try Self.plan(yaml, "steps[1].accept_if.confidence.gte", values: Self.values)
        #expect(plan.threshold != nil)
        let records = Self.confidences.flatMap { small in
            Self.confidences.map { medium in
                Fixture.record(["small": Outcome(success: false, confidence: small), "medium": Outcome(success: true, confidence: medium),
                                "large": ok])
            }
        }
        try Self.expectPiecesMatchEverySetting(plan, records)
    }

    @Test func aRuleRoutersNumericTest() throws {
        let yaml = "name: r\nkind: router\nrules:\n  - if: {category: code}\n    model: large\n"
            + "  - if: {input_tokens: {gt: 1000}, features.score: {gte: 0.5}}\n    model: medium\ndefault: small\n"
        let everyone = ["small": ok, "medium": bad, "large": ok]
        let records = [nil, "code"].flatMap { category in
            [1, 999, 1000, 1001, 5000].flatMap { tokens in
                [nil, FeatureValue.number(0.5), .number(0.2), .string("high")].map { score in
                    Fixture.record(everyone, category: category, features: score.map { ["score": $0] } ?? [:], inputTokens: tokens)
                }
            }
        }
        let byTokens = try Self.plan(yaml, "rules[1].if.input_tokens.gt", values: [0, 500, 999, 1000, 1001, 2000])
        #expect(byTokens.threshold != nil)
        try Self.expectPiecesMatchEverySetting(byTokens, records)
        let byScore = try Self.plan(yaml, "rules[1].if.features.score.gte", values: Self.values)
        #expect(byScore.threshold != nil)
        try Self.expectPiecesMatchEverySetting(byScore, records)
    }

    @Test(arguments: [("confidence: {use_at_least: 0.5, below: large}", "confidence.use_at_least"),
                      ("confidence: {use_at_least: 0.5, review_at_least: 0, below: escalate}", "confidence.use_at_least"),
                      ("confidence: {use_at_least: 1, review_at_least: 0.5, below: escalate}", "confidence.review_at_least")])
    func aRecordedRoutersBand(bands: String, parameter: String) throws {
        let yaml = "name: c\nkind: router\nuse_recorded: true\ndefault: medium\n\(bands)\n"
        let plan = try Self.plan(yaml, parameter, values: Self.values)
        #expect(plan.threshold != nil)
        let records = Self.confidences.flatMap { confidence in
            [nil, "small", "medium"].map { model in
                Fixture.record(["small": bad, "medium": ok, "large": ok], router: model.map { ($0, confidence) })
            }
        }
        try Self.expectPiecesMatchEverySetting(plan, records)
    }

    /// A parameter that is no comparison's threshold is bisected, and still matches every setting.
    @Test func anythingElseIsBisected() throws {
        let yaml = "name: c\nkind: cascade\nsteps:\n  - model: small\n    accept_if: {confidence: {gte: 0.5}}\n  - model: large\n"
            + "check: {cost_usd: 0.001, latency_ms: 5}\n"
        let plan = try Self.plan(yaml, "check.latency_ms", values: [1, 2, 5, 10])
        #expect(plan.threshold == nil)
        let records = Self.confidences.map { Fixture.record(["small": Outcome(success: true, latencyMs: 10, confidence: $0), "large": ok]) }
        try Self.expectPiecesMatchEverySetting(plan, records)
    }
}

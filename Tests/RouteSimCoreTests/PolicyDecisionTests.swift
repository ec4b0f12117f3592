import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Each policy kind on one record; the arithmetic uses the fixture prices
/// small $0.002, medium $0.02, large $0.2 per call.
@Suite("Policy kinds (docs/policies.md, §3)")
struct PolicyDecisionTests {
    let all = Fixture.record(["small": bad, "medium": ok, "large": ok])

    @Test func singlePaysOneCallPlusOverhead() throws {
        let d = try Fixture.decide("name: p\nkind: single\nmodel: large\noverhead: {cost_usd: 0.001, latency_ms: 3}", all)
        #expect(abs(d.costUSD - 0.201) < 1e-12)
        #expect(d.latencyMs == 103)
        #expect(d.success && d.answerModel == 2 && abs(d.answerCostUSD - 0.2) < 1e-12)
    }

    @Test func rulesFirstMatchWins() throws {
        let yaml = """
            name: r
            kind: router
            rules:
              - if: {category: [faq, greeting]}
                model: small
              - if: {input_tokens: {gt: 2000}}
                model: large
              - if: {features.has_code: true}
                model: large
              - if: {category: {matches: "^bill"}}
                model: medium
            default: medium
            """
        #expect(try Fixture.decide(yaml, Fixture.record(["small": ok, "large": ok], category: "faq", inputTokens: 5000)).answerModel == 0)
        #expect(try Fixture.decide(yaml, Fixture.record(["large": ok], category: "legal", inputTokens: 2001)).answerModel == 2)
        #expect(try Fixture.decide(yaml, Fixture.record(["medium": ok], category: "legal", inputTokens: 2000)).answerModel == 1)
        #expect(try Fixture.decide(yaml, Fixture.record(["large": ok], features: ["has_code": .bool(true)])).answerModel == 2)
        #expect(try Fixture.decide(yaml, Fixture.record(["medium": ok], category: "billing-eu")).answerModel == 1)
    }

    /// Each subject against each kind of test and each kind of value: a condition holds only when
    /// the record gives the subject and its value is of the kind the test compares.
    @Test func aConditionHoldsOnlyForAValueOfTheKindItTests() throws {
        let record = Record(id: "r", inputTokens: 1000, outputTokens: 500, category: "billing",
                            features: ["n": .number(3.5), "flag": .bool(true), "tier": .string("gold")], outcomes: [])
        var withoutOutput = record
        withoutOutput.outputTokens = nil
        func oneOf(_ values: FeatureValue...) -> Condition.Test { .oneOf(values) }
        func compare(_ op: Comparison.Operator, _ value: Double) -> Condition.Test { .compare(Comparison(op: op, value: value)) }
        func matches(_ text: String) throws -> Condition.Test { .matches(try Pattern(text)) }
        let cases: [(Condition.Subject, Condition.Test, Bool)] = try [
            (.category, oneOf(.string("faq"), .string("billing")), true), (.category, oneOf(.string("faq")), false),
            (.category, oneOf(.number(1), .bool(true)), false), (.category, compare(.gt, 0), false),
            (.category, matches("^bill"), true), (.category, matches("^faq"), false),
            (.inputTokens, compare(.gt, 999), true), (.inputTokens, compare(.gt, 1000), false),
            (.inputTokens, oneOf(.number(1000)), true), (.inputTokens, oneOf(.string("1000")), false),
            (.inputTokens, matches("1"), false), (.outputTokens, compare(.lte, 500), true), (.outputTokens, compare(.lt, 500), false),
            (.feature("n"), compare(.gte, 3.5), true), (.feature("n"), oneOf(.number(3.5)), true),
            (.feature("n"), oneOf(.string("3.5")), false), (.feature("n"), matches("3"), false),
            (.feature("flag"), oneOf(.bool(true)), true), (.feature("flag"), oneOf(.bool(false)), false),
            (.feature("flag"), oneOf(.string("true"), .number(1)), false), (.feature("flag"), compare(.gt, 0), false),
            (.feature("flag"), matches("t"), false),
            (.feature("tier"), oneOf(.string("gold")), true), (.feature("tier"), oneOf(.bool(true)), false),
            (.feature("tier"), compare(.gt, 0), false), (.feature("tier"), matches("^go"), true),
            (.feature("missing"), oneOf(.string("gold"), .bool(true), .number(3.5)), false),
            (.feature("missing"), compare(.gt, -1), false), (.feature("missing"), matches(""), false),
        ]
        for (subject, test, holds) in cases {
            #expect(Condition(subject: subject, test: test).holds(for: record) == holds, "\(subject) \(test)")
        }
        #expect(!Condition(subject: .outputTokens, test: compare(.gt, -1)).holds(for: withoutOutput))
    }

    @Test func aWorkersOwnCopyOfAPolicyDecidesAlikeAndSharesNoStorage() throws {
        let policy = try Fixture.policy("""
            name: r
            kind: router
            rules:
              - if: {category: [a-category-longer-than-fifteen-bytes, faq]}
                model: small
              - if: {category: {matches: "^bill"}, features.tier-of-the-customer-account: [gold]}
                model: large
            default: medium
            """)
        let copy = policy.isolated()
        for record in [Fixture.record(["small": ok], category: "a-category-longer-than-fifteen-bytes"),
                       Fixture.record(["large": ok], category: "billing", features: ["tier-of-the-customer-account": .string("gold")]),
                       Fixture.record(["medium": ok], category: "billing")] {
            var prices = RecordPrices(modelCount: Fixture.catalog.count)
            try prices.update(for: record, catalog: Fixture.catalog)
            let decisions = try [policy, copy].map { try $0.decide(record, prices: prices, catalog: Fixture.catalog).answerModel }
            #expect(decisions[0] == decisions[1] && decisions[0] != nil)
        }
        guard case let .router(original) = policy.kind, case let .router(isolated) = copy.kind,
              case let .oneOf(values) = original.rules[0].conditions[0].test, case let .oneOf(copied) = isolated.rules[0].conditions[0].test,
              case let .string(text) = values[0], case let .string(copiedText) = copied[0] else {
            Issue.record("not the router that was loaded")
            return
        }
        func address<T>(_ array: [T]) -> UnsafeRawPointer? { array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
        #expect(address(original.rules) != address(isolated.rules))
        #expect(address(original.rules[1].conditions) != address(isolated.rules[1].conditions))
        #expect(address(values) != address(copied))
        #expect(copiedText == text)
        var (a, b) = (text, copiedText)
        #expect(a.withUTF8 { $0.baseAddress } != b.withUTF8 { $0.baseAddress })
    }

    @Test func recordedRouterBands() throws {
        let yaml = """
            name: s
            kind: router
            use_recorded: true
            confidence: {use_at_least: 0.95, review_at_least: 0.80, below: escalate}
            """
        let use = try Fixture.decide(yaml, Fixture.record(["small": ok, "medium": ok, "large": ok], router: ("small", 0.95)))
        #expect(use.answerModel == 0 && !use.review && !use.escalated)
        let review = try Fixture.decide(yaml, Fixture.record(["small": ok, "medium": ok, "large": ok], router: ("small", 0.80)))
        #expect(review.answerModel == 0 && review.review && !review.escalated)
        // Below 0.80: one tier up in the catalog.
        let escalated = try Fixture.decide(yaml, Fixture.record(["small": ok, "medium": ok, "large": ok], router: ("small", 0.79)))
        #expect(escalated.answerModel == 1 && escalated.escalated)
        // A record without the next tier's outcome is refused, never escalated past it silently.
        #expect(throws: MissingInput.outcome(model: 1)) {
            try Fixture.decide(yaml, Fixture.record(["small": ok, "large": ok], router: ("small", 0.79)))
        }
        // The top tier stays, and is not counted as escalated.
        let top = try Fixture.decide(yaml, Fixture.record(["small": ok, "large": ok], router: ("large", 0.1)))
        #expect(top.answerModel == 2 && !top.escalated)
    }

    @Test func recordedRouterWithoutPredictionNeedsDefault() throws {
        let record = Fixture.record(["medium": ok])
        #expect(throws: MissingInput.self) { try Fixture.decide("name: s\nkind: router\nuse_recorded: true", record) }
        let d = try Fixture.decide("name: s\nkind: router\nuse_recorded: true\ndefault: medium", record)
        #expect(d.answerModel == 1)
    }

    static let cascade = """
        name: c
        kind: cascade
        steps:
          - model: small
            accept_if: {confidence: {gte: 0.80}}
          - model: medium
            accept_if: {confidence: {gte: 0.70}}
          - model: large
        check: {cost_usd: 0.001, latency_ms: 20}
        """

    @Test func cascadeAcceptsAtFirstStep() throws {
        let small = Outcome(success: true, latencyMs: 100, confidence: 0.8)
        let d = try Fixture.decide(Self.cascade, Fixture.record(["small": small]))
        // small call + one check: 0.002 + 0.001; latency 100 + 20.
        #expect(abs(d.costUSD - 0.003) < 1e-12 && d.latencyMs == 120 && d.answerModel == 0 && !d.escalated)
    }

    @Test func cascadePaysEveryAttemptedStep() throws {
        let small = Outcome(success: false, latencyMs: 100, confidence: 0.5)
        let medium = Outcome(success: true, latencyMs: 300) // no confidence: its test fails
        let large = Outcome(success: true, latencyMs: 1000)
        let d = try Fixture.decide(Self.cascade, Fixture.record(["small": small, "medium": medium, "large": large]))
        // 0.002 + 0.001 + 0.02 + 0.001 + 0.2 = 0.224; 100 + 20 + 300 + 20 + 1000 = 1440 (no check on the last step).
        #expect(abs(d.costUSD - 0.224) < 1e-12)
        #expect(d.latencyMs == 1440)
        #expect(d.answerModel == 2 && d.escalated && abs(d.answerCostUSD - 0.2) < 1e-12)
    }

    @Test func ensembleMajorityPaysAllAndTakesSlowest() throws {
        let yaml = "name: v\nkind: ensemble\nmodels: [small, medium, large]\ncombine: majority"
        let record = Fixture.record(["small": Outcome(success: false, latencyMs: 50), "medium": Outcome(success: true, latencyMs: 400),
                                     "large": Outcome(success: true, latencyMs: 900)])
        let d = try Fixture.decide(yaml, record)
        #expect(abs(d.costUSD - 0.222) < 1e-12 && d.latencyMs == 900 && d.success && d.answerModel == nil)
        // One success of three is not a majority.
        let lone = Fixture.record(["small": ok, "medium": bad, "large": bad])
        #expect(try !Fixture.decide(yaml, lone).success)
    }

    @Test func ensembleBestQualityTakesHighestQuality() throws {
        let yaml = "name: b\nkind: ensemble\nmodels: [small, medium]\ncombine: best_quality"
        let record = Fixture.record(["small": Outcome(success: false, quality: 0.9), "medium": Outcome(success: true, quality: 0.6)])
        #expect(try !Fixture.decide(yaml, record).success)
        // Without quality, success counts as quality 1.
        let plain = Fixture.record(["small": bad, "medium": ok])
        #expect(try Fixture.decide(yaml, plain).success)
    }

    @Test func oracleTakesCheapestSuccessOrPaysCheapest() throws {
        let d = try Fixture.decide("name: o\nkind: oracle", all)
        #expect(d.answerModel == 1 && d.success && abs(d.costUSD - 0.02) < 1e-12)
        let none = try Fixture.decide("name: o\nkind: oracle", Fixture.record(["medium": bad, "large": bad]))
        #expect(none.answerModel == 1 && !none.success)
    }

    @Test func missingOutcomeIsAnError() {
        #expect(throws: MissingInput.self) { try Fixture.decide("name: p\nkind: single\nmodel: large", Fixture.record(["small": ok])) }
    }

    @Test func invalidPoliciesAreRefusedWithLine() {
        #expect(throws: RouteSimError.invalidInput(file: "policy.yaml", line: 3, field: "model",
                                                   reason: "model 'huge' is not in the catalog models.yaml (it has: small, medium, large)")) {
            try Fixture.policy("name: p\nkind: single\nmodel: huge")
        }
        #expect(throws: RouteSimError.self) { try Fixture.policy("name: p\nkind: teleport") }
        #expect(throws: RouteSimError.self) { try Fixture.policy("name: c\nkind: cascade\nsteps:\n  - model: small\n  - model: large") }
        #expect(throws: RouteSimError.self) { try Fixture.policy("name: r\nkind: router\nrules: []\ndefault: small\nmodle: x") }
    }
}

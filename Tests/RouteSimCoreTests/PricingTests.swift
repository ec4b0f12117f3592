import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("Cost of a call (docs/catalog.md)")
struct PricingTests {
    let spec = ModelSpec(name: "m", tier: 1, inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, perCallUSD: 0.001)

    @Test func perTokenWithCachedInput() throws {
        // 0.001 + (1200 − 200)·3/1e6 + 200·0.3/1e6 + 400·15/1e6 = 0.001 + 0.003 + 0.00006 + 0.006 = 0.01006
        let cost = try spec.callCost(recordedCost: nil, inputTokens: 1200, cachedInputTokens: 200, outputTokens: 400)
        #expect(abs(cost - 0.01006) < 1e-15)
    }

    @Test func cacheWritesAndReasoningHaveTheirOwnPrices() throws {
        var model = ModelSpec(name: "m", tier: 1, inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3)
        model.cacheWriteInputPerMTok = 3.75
        model.reasoningOutputPerMTok = 20
        // (1200 − 200 − 100)·3 + 200·0.3 + 100·3.75 + (400 − 150)·15 + 150·20 = 2700 + 60 + 375 + 3750 + 3000 = 9885 per 1e6.
        let cost = try model.callCost(recordedCost: nil, inputTokens: 1200, cachedInputTokens: 200, outputTokens: 400,
                                      cacheWriteInputTokens: 100, reasoningTokens: 150)
        #expect(abs(cost - 0.009885) < 1e-15)
        // Without prices of their own, writes cost input and reasoning costs output: 1000·3 + 400·15 = 9000 per 1e6.
        let plain = ModelSpec(name: "p", tier: 1, inputPerMTok: 3, outputPerMTok: 15)
        #expect(abs(try plain.callCost(recordedCost: nil, inputTokens: 1000, cachedInputTokens: 0, outputTokens: 400,
                                       cacheWriteInputTokens: 100, reasoningTokens: 150) - 0.009) < 1e-15)
    }

    @Test func cachedPriceDefaultsToInputPrice() throws {
        let plain = ModelSpec(name: "m", tier: 1, inputPerMTok: 2, outputPerMTok: 4)
        // (1000 − 500)·2/1e6 + 500·2/1e6 + 100·4/1e6 = 0.001 + 0.001 + 0.0004
        let cost = try plain.callCost(recordedCost: nil, inputTokens: 1000, cachedInputTokens: 500, outputTokens: 100)
        #expect(abs(cost - 0.0024) < 1e-15)
    }

    @Test func recordedCostOverridesTheTable() throws {
        #expect(try spec.callCost(recordedCost: 0.0213, inputTokens: 1, cachedInputTokens: 0, outputTokens: 1) == 0.0213)
    }

    @Test func perCallOnlyNeedsNoTokens() throws {
        let classifier = ModelSpec(name: "clf", tier: 0, perCallUSD: 0.001)
        #expect(try classifier.callCost(recordedCost: nil, inputTokens: 5000, cachedInputTokens: 0, outputTokens: nil) == 0.001)
    }

    @Test func unpricedModelIsAnErrorNeverZero() {
        let unpriced = ModelSpec(name: "x", tier: 1)
        #expect(throws: PricingProblem.unpriced) {
            try unpriced.callCost(recordedCost: nil, inputTokens: 10, cachedInputTokens: 0, outputTokens: 10)
        }
    }

    @Test func outputPriceNeedsOutputTokens() {
        #expect(throws: PricingProblem.missingOutputTokens) {
            try spec.callCost(recordedCost: nil, inputTokens: 10, cachedInputTokens: 0, outputTokens: nil)
        }
    }

    @Test func catalogErrorsNameFileLineAndField() {
        let yaml = "models:\n  small: {tier: 1, input_per_mtok: 1}\n  large: {input_per_mtok: 2}\n"
        #expect(throws: RouteSimError.invalidInput(file: "m.yaml", line: 3, field: "models.large.tier", reason: "is required")) {
            try ModelCatalog.parse(yaml, file: "m.yaml")
        }
        #expect(throws: RouteSimError.self) { try ModelCatalog.parse("models:\n  a: {tier: 1, input_per_mtk: 1}\n", file: "m.yaml") }
        #expect(throws: RouteSimError.self) { try ModelCatalog.parse("models:\n  a: {tier: 1, input_per_mtok: -1}\n", file: "m.yaml") }
    }
}

import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("Prices from LiteLLM's table")
struct LiteLLMPricesTests {
    static let table = """
        {"mini": {"input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07, "cache_read_input_token_cost": 7.5e-08,
                  "input_cost_per_token_batches": 7.5e-08, "output_cost_per_token_batches": 3e-07, "mode": "chat", "supports_vision": true},
         "long": {"input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-07,
                  "input_cost_per_token_above_200k_tokens": 2.5e-06, "output_cost_per_token_above_200k_tokens": 1.5e-05,
                  "cache_read_input_token_cost_above_200k_tokens": 2.5e-07},
         "image-only": {"output_cost_per_image": 0.04}}
        """

    static func catalog(_ models: String) throws -> ModelCatalog {
        let fixture = Fixture()
        let prices = fixture.file("prices.json", table)
        return try ModelCatalog.parse("models:\n" + models, file: fixture.file("m.yaml", ""), pricesPath: prices)
    }

    @Test func perTokenAndCachedPrices() throws {
        let mini = try Self.catalog("  m: {tier: 1, price_from: mini}\n").models[0]
        // (1000 − 200)·1.5e-7 + 200·7.5e-8 + 500·6e-7 = 1.2e-4 + 1.5e-5 + 3e-4 = 4.35e-4
        let cost = try mini.callCost(recordedCost: nil, inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500)
        #expect(abs(cost - 4.35e-4) < 1e-15)
    }

    @Test func serviceTierVariants() throws {
        let batch = try Self.catalog("  m: {tier: 1, price_from: mini, service_tier: batches}\n").models[0]
        // 1000·7.5e-8 + 500·3e-7 = 7.5e-5 + 1.5e-4; the tier has no cache price of its own, so 7.5e-8 stays for cached.
        #expect(abs(try batch.callCost(recordedCost: nil, inputTokens: 1000, cachedInputTokens: 0, outputTokens: 500) - 2.25e-4) < 1e-15)
    }

    @Test func aboveTheThresholdEveryTokenPaysTheHigherPrice() throws {
        let long = try Self.catalog("  g: {tier: 3, price_from: long}\n").models[0]
        // 200,000 input tokens is not above 200k: 200000·1.25e-6 + 1000·1e-5 = 0.25 + 0.01.
        #expect(abs(try long.callCost(recordedCost: nil, inputTokens: 200_000, cachedInputTokens: 0, outputTokens: 1000) - 0.26) < 1e-12)
        // 250,000 with 50,000 cached: (200000·2.5e-6) + 50000·2.5e-7 + 1000·1.5e-5 = 0.5 + 0.0125 + 0.015.
        #expect(abs(try long.callCost(recordedCost: nil, inputTokens: 250_000, cachedInputTokens: 50_000, outputTokens: 1000) - 0.5275) < 1e-12)
    }

    @Test func explicitPricesOverrideTheTable() throws {
        let custom = try Self.catalog("  m: {tier: 1, price_from: mini, output_per_mtok: 1.0}\n").models[0]
        #expect(custom.inputPerMTok! == 0.15 && custom.outputPerMTok == 1.0)
    }

    @Test func unknownOrUnpricedModelsAreErrors() {
        #expect(throws: RouteSimError.self) { try Self.catalog("  m: {tier: 1, price_from: gpt-9}\n") }
        #expect(throws: RouteSimError.self) { try Self.catalog("  m: {tier: 1, price_from: image-only}\n") }
        #expect(throws: RouteSimError.self) { try Self.catalog("  m: {tier: 1, price_from: mini, service_tier: turbo}\n") }
        #expect(throws: RouteSimError.self) { try ModelCatalog.parse("models:\n  m: {tier: 1, price_from: mini}\n", file: "m.yaml") }
    }

    /// The shipped snapshot: gpt-4o-mini at $0.15 / $0.60 per million tokens, cached input $0.075.
    @Test func theShippedSnapshot() throws {
        let catalog = try ModelCatalog.parse("prices: prices/litellm-model-prices-1.109.1.json\nmodels:\n  m: {tier: 1, price_from: gpt-4o-mini}\n",
                                             file: RouteSimBinary.datasets + "/catalog.yaml")
        #expect(catalog.models[0].inputPerMTok! == 0.15 && catalog.models[0].outputPerMTok! == 0.6
                && abs(catalog.models[0].cachedInputPerMTok! - 0.075) < 1e-12)
        // Claude Sonnet 4.5: cache writes at $3.75 per million tokens (cache_creation_input_token_cost).
        let sonnet = try ModelCatalog.parse("prices: prices/litellm-model-prices-1.109.1.json\nmodels:\n  s: {tier: 3, price_from: claude-sonnet-4-5-20250929}\n",
                                            file: RouteSimBinary.datasets + "/catalog.yaml").models[0]
        #expect(abs(sonnet.cacheWriteInputPerMTok! - 3.75) < 1e-9)
    }
}

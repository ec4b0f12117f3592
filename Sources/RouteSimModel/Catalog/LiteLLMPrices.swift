import Foundation

/// LiteLLM's `model_prices_and_context_window.json`: per-token prices by model name (USD per token).
public struct LiteLLMPrices: Sendable {
    package let file: String
    /// The numeric fields of each model's entry (only `*cost*` fields are ever read).
    private let models: [String: [String: Double]]

    public static func load(path: String) throws -> LiteLLMPrices {
        let data = try InputSnapshot.contents(of: path)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RouteSimError.invalidInput(file: path, line: 1, field: "", reason: "is not a LiteLLM price table (a JSON object of models)")
        }
        let models = object.compactMapValues { entry in
            (entry as? [String: Any])?.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
        return LiteLLMPrices(file: path, models: models)
    }

    /// `spec` priced from the table's `name` entry: per-token input, output, cache-read, cache-write
    /// and reasoning prices (of the service tier when it has its own), and the long-context thresholds.
    package func price(_ spec: inout ModelSpec, from name: String, tier: String?) -> String? {
        guard let entry = models[name] else { return "'\(name)' is not in the price table \(file)" }
        func price(_ key: String) -> Double? {
            if let tier, let value = entry["\(key)_\(tier)"] { return value }
            return entry[key]
        }
        guard let input = price("input_cost_per_token") else { return "'\(name)' has no input_cost_per_token in \(file)" }
        spec.inputPerMTok = input * 1e6
        spec.outputPerMTok = price("output_cost_per_token").map { $0 * 1e6 }
        spec.cachedInputPerMTok = price("cache_read_input_token_cost").map { $0 * 1e6 }
        spec.cacheWriteInputPerMTok = price("cache_creation_input_token_cost").map { $0 * 1e6 }
        spec.reasoningOutputPerMTok = price("output_cost_per_reasoning_token").map { $0 * 1e6 }
        var thresholds: Set<Int> = []
        for key in entry.keys {
            guard key.hasPrefix("input_cost_per_token_above_"), key.hasSuffix("k_tokens"),
                  let thousands = Int(key.dropFirst("input_cost_per_token_above_".count).dropLast("k_tokens".count)) else { continue }
            thresholds.insert(thousands)
        }
        spec.longContext = thresholds.sorted().compactMap { thousands in
            let suffix = "_above_\(thousands)k_tokens"
            guard let input = price("input_cost_per_token" + suffix) else { return nil }
            return ModelSpec.LongContextPrice(aboveInputTokens: thousands * 1000, inputPerMTok: input * 1e6,
                                              outputPerMTok: price("output_cost_per_token" + suffix).map { $0 * 1e6 },
                                              cachedInputPerMTok: price("cache_read_input_token_cost" + suffix).map { $0 * 1e6 })
        }
        return nil
    }
}

/// Why a call cannot be priced.
package enum PricingProblem: Error, Equatable {
    case unpriced
    case missingOutputTokens
    /// The catalog's prices make one call cost more than `Limits.maxCallCostUSD`.
    case tooExpensive(Double)
}

extension ModelSpec {
    /// The cost of one call (docs/catalog.md): the recorded `cost_usd` if present, else
    /// `per_call + (input − cached)·input/1e6 + cached·cached_input/1e6 + output·output/1e6`,
    /// where the cached price defaults to the input price; cache writes and reasoning tokens (parts of
    /// the input and the output) are billed at their own prices when the model has them. Above a
    /// long-context threshold, the threshold's prices apply to every token of the request.
    package func callCost(recordedCost: Double?, inputTokens: Int, cachedInputTokens: Int, outputTokens: Int?,
                  cacheWriteInputTokens: Int = 0, reasoningTokens: Int? = nil) throws(PricingProblem) -> Double {
        // A self-hosted model's replicas are paid by the hour (docs/capacity.md), not per call.
        if selfHosted != nil { return 0 }
        if let recordedCost { return recordedCost }
        guard isPriced else { throw .unpriced }
        let long = longContext.last { inputTokens > $0.aboveInputTokens }
        let inputPrice = long?.inputPerMTok ?? inputPerMTok ?? 0
        let cachedPrice = long?.cachedInputPerMTok ?? (long == nil ? cachedInputPerMTok : nil) ?? inputPrice
        let outputPerMTok = long?.outputPerMTok ?? self.outputPerMTok
        var cost = perCallUSD ?? 0
        let cacheWritePrice = cacheWriteInputPerMTok ?? inputPrice
        cost += Double(inputTokens - cachedInputTokens - cacheWriteInputTokens) * inputPrice / 1e6
        cost += Double(cachedInputTokens) * cachedPrice / 1e6
        cost += Double(cacheWriteInputTokens) * cacheWritePrice / 1e6
        if let outputPrice = outputPerMTok, outputPrice > 0 {
            guard let outputTokens else { throw .missingOutputTokens }
            let reasoning = min(reasoningTokens ?? 0, outputTokens)
            cost += Double(outputTokens - reasoning) * outputPrice / 1e6
            cost += Double(reasoning) * (reasoningOutputPerMTok ?? outputPrice) / 1e6
        }
        guard cost <= Limits.maxCallCostUSD else { throw .tooExpensive(cost) }
        return cost
    }
}

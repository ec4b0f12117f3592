/// Per-record facts every policy shares: each recorded model's call cost and the oracle model.
package struct RecordPrices {
    /// `callCost[i]` for every model with an outcome; unused entries are stale.
    package var callCost: [Double]
    /// The cheapest model whose outcome succeeded; nil when the request is unsolvable.
    package var oracle: Int?
    /// The cheapest model with an outcome at all.
    package var cheapest: Int?

    package init(modelCount: Int) {
        callCost = Array(repeating: 0, count: modelCount)
    }

    /// Each step's prices, for a record with steps (`steps[i]` prices `record.steps[i]`).
    package var steps: [RecordPrices] = []

    /// Prices `record`'s outcomes, and its steps'. Ties go to the lower tier, then to catalog order.
    package mutating func update(for record: Record, catalog: ModelCatalog) throws(FieldProblem) {
        try update(record.outcomes, inputTokens: record.inputTokens, cachedInputTokens: record.cachedInputTokens,
                   cacheWriteInputTokens: record.cacheWriteInputTokens, outputTokens: record.outputTokens, time: record.timestamp,
                   prefix: "", catalog: catalog)
        guard !record.steps.isEmpty || !steps.isEmpty else { return }
        if steps.count > record.steps.count { steps.removeLast(steps.count - record.steps.count) }
        while steps.count < record.steps.count { steps.append(RecordPrices(modelCount: callCost.count)) }
        // Each step read where it lies (a copy of a step retains and releases its arrays).
        for position in record.steps.indices {
            try steps[position].update(record.steps[position].outcomes, inputTokens: record.steps[position].inputTokens,
                                       cachedInputTokens: record.steps[position].cachedInputTokens, cacheWriteInputTokens: 0,
                                       outputTokens: record.steps[position].outputTokens, time: record.timestamp,
                                       prefix: "steps[\(position)].", catalog: catalog)
        }
    }

    private mutating func update(_ outcomes: [Outcome?], inputTokens: Int, cachedInputTokens: Int, cacheWriteInputTokens: Int,
                                 outputTokens: Int?, time: Double, prefix: @autoclosure () -> String, catalog: ModelCatalog) throws(FieldProblem) {
        // The models are read in place through a buffer: a `ModelSpec` is large, and reading one
        // out of the array copied it, names and price lists included, for every outcome.
        try catalog.models.withUnsafeBufferPointer { (models) throws(FieldProblem) in
            try update(outcomes, inputTokens: inputTokens, cachedInputTokens: cachedInputTokens, cacheWriteInputTokens: cacheWriteInputTokens,
                       outputTokens: outputTokens, time: time, prefix: prefix(), catalog: catalog, models: models)
        }
    }

    private mutating func update(_ outcomes: [Outcome?], inputTokens: Int, cachedInputTokens: Int, cacheWriteInputTokens: Int,
                                 outputTokens: Int?, time: Double, prefix: @autoclosure () -> String, catalog: ModelCatalog,
                                 models: UnsafeBufferPointer<ModelSpec>) throws(FieldProblem) {
        oracle = nil
        cheapest = nil
        for (index, outcome) in outcomes.enumerated() {
            guard let outcome else { continue }
            // Repricing at one date sets recorded costs aside wherever the catalog has a price — but
            // a failed call that billed nothing costs nothing at any date.
            let unbilled = !outcome.success && outcome.costUSD == 0
            // A call that counted its own input is priced at it (docs/log-formats.md, "Outcome fields").
            let input = outcome.input?.tokens ?? inputTokens, cached = outcome.input?.cached ?? cachedInputTokens
            let written = outcome.input?.cacheWrite ?? cacheWriteInputTokens, output = outcome.outputTokens ?? outputTokens
            /// The call's cost at `spec`'s prices, the model read where it lies.
            func cost(at spec: UnsafePointer<ModelSpec>) throws(PricingProblem) -> Double {
                let recorded = catalog.repricedAt != nil && !unbilled && spec.pointee.isPriced ? nil : outcome.costUSD
                return try spec.pointee.callCost(recordedCost: recorded, inputTokens: input, cachedInputTokens: cached, outputTokens: output,
                                                 cacheWriteInputTokens: written, reasoningTokens: outcome.reasoningTokens)
            }
            do {
                // Prices that change are those in force at the request's time (docs/catalog.md,
                // "Prices that change"); the common case, fixed prices, reads the entry in place.
                if models[index].datedPrices.isEmpty {
                    callCost[index] = try cost(at: models.baseAddress! + index)
                } else {
                    var dated = models[index].inForce(at: time)
                    callCost[index] = try cost(at: &dated)
                }
            } catch {
                let model = models[index], spec = model
                let field = "\(prefix())outcomes.\(spec.name)"
                switch error {
                case .unpriced:
                    let first = model.datedPrices.first.map { " at \(ISOTime.format(time)) (its first dated price is from \(ISOTime.format($0.from)))" } ?? ""
                    throw FieldProblem(field: field,
                                       reason: "model '\(spec.name)' has no price in \(catalog.file)\(first) and the record gives no cost_usd")
                case .missingOutputTokens:
                    throw FieldProblem(field: field + ".output_tokens",
                                       reason: "is needed to price model '\(spec.name)' and neither the outcome nor the \(prefix().isEmpty ? "record" : "step") gives output_tokens")
                case let .tooExpensive(cost):
                    throw FieldProblem(field: field,
                                       reason: "one call would cost $\(cost) at the prices of \(catalog.file), more than the $1,000,000 limit: check the token counts and the prices (see docs/log-formats.md, Limits)")
                }
            }
            if isCheaper(index, than: cheapest, models) { cheapest = index }
            if outcome.success, isCheaper(index, than: oracle, models) { oracle = index }
        }
    }

    private func isCheaper(_ index: Int, than current: Int?, _ models: UnsafeBufferPointer<ModelSpec>) -> Bool {
        guard let current else { return true }
        if callCost[index] != callCost[current] { return callCost[index] < callCost[current] }
        return models[index].tier < models[current].tier
    }
}

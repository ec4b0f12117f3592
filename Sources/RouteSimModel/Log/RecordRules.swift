/// The rules every record obeys, whatever format it was read from (docs/log-formats.md): token
/// counts, latencies and costs within the limits, cache and reasoning counts within their totals,
/// unit-interval scores, printable names. The canonical JSON reader checks them as it parses (in
/// C++, with the same limits, `RP_MAX_*`); every other reader builds a record and has it checked
/// here, so that no format lets through what another refuses.
package enum RecordRules {
    package static func check(_ record: Record, catalog: ModelCatalog) throws(FieldProblem) {
        func within(_ value: Double, _ limit: Double, _ field: String, _ text: String) throws(FieldProblem) {
            guard value >= 0 else { throw FieldProblem(field: field, reason: "must be >= 0") }
            guard value <= limit else { throw FieldProblem(field: field, reason: "must be at most \(text) (see docs/log-formats.md, Limits)") }
        }
        // Years 0000 to 9999, as an RFC 3339 timestamp can write them.
        guard (-62_167_219_200.0...253_402_300_799.0).contains(record.timestamp) else {
            throw FieldProblem(field: "ts", reason: "must fall in the years 0000 to 9999 (a time in seconds read as milliseconds, or the reverse?)")
        }
        try within(Double(record.inputTokens), Limits.maxTokens, "input_tokens", "1e12 tokens")
        try within(Double(record.outputTokens ?? 0), Limits.maxTokens, "output_tokens", "1e12 tokens")
        guard record.cachedInputTokens <= record.inputTokens else {
            throw FieldProblem(field: "cached_input_tokens", reason: "must not exceed input_tokens")
        }
        guard record.cachedInputTokens + record.cacheWriteInputTokens <= record.inputTokens else {
            throw FieldProblem(field: "cache_write_input_tokens", reason: "with cached_input_tokens must not exceed input_tokens (both are parts of the input)")
        }
        if let category = record.category, let problem = YAMLNode.nameProblem(category) {
            throw FieldProblem(field: "category", reason: problem)
        }
        for (index, outcome) in record.outcomes.enumerated() {
            guard let outcome else { continue }
            let prefix = "outcomes.\(catalog.models[index].name)."
            if let latency = outcome.latencyMs { try within(latency, Limits.maxLatencyMs, prefix + "latency_ms", "1e10 ms") }
            if let cost = outcome.costUSD { try within(cost, Limits.maxCallCostUSD, prefix + "cost_usd", "$1,000,000 for one call") }
            if let tokens = outcome.outputTokens { try within(Double(tokens), Limits.maxTokens, prefix + "output_tokens", "1e12 tokens") }
            for (name, score) in [("quality", outcome.quality), ("confidence", outcome.confidence)] {
                if let score, !(0...1).contains(score) { throw FieldProblem(field: prefix + name, reason: "must be between 0 and 1") }
            }
            if let reasoning = outcome.reasoningTokens, reasoning > (outcome.outputTokens ?? record.outputTokens ?? Int.max) {
                throw FieldProblem(field: prefix + "reasoning_tokens", reason: "must not exceed output_tokens (reasoning tokens are part of them)")
            }
        }
    }
}

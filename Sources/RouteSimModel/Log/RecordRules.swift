/// The rules every record obeys, whatever format it was read from (docs/log-formats.md, "Limits"
/// and "Names"): token counts, latencies and costs within the limits, cache and reasoning counts
/// within their totals, unit-interval scores, printable names, timestamps in the years 0000–9999.
/// This is their one place: readers parse their format (syntax, types, whole numbers) and have
/// every record checked here — the canonical reader as it decodes each line, `ingest` before it
/// stores one, the other formats when their file is read.
package enum RecordRules {
    /// Checks the request's own fields and each outcome, naming outcome fields
    /// `outcomes.<model>.<field>`.
    /// `namesChecked`: the caller has checked the record's names (category, `served_by`, step
    /// names) already, as the JSON decoder does once per distinct name.
    package static func check(_ record: Record, catalog: ModelCatalog, namesChecked: Bool = false) throws(FieldProblem) {
        try checkRequest(record, namesChecked: namesChecked)
        try check(record.outcomes, outputTokens: record.outputTokens, prefix: "outcomes.", catalog: catalog)
        // Each step read where it lies (a copy of a step retains and releases its arrays).
        for position in record.steps.indices {
            do throws(FieldProblem) {
                try check(record.steps[position], nameChecked: namesChecked)
            } catch {
                throw FieldProblem(field: "steps[\(position)].\(error.field)", reason: error.reason)
            }
            try check(record.steps[position].outcomes, outputTokens: record.steps[position].outputTokens,
                      prefix: "steps[\(position)].outcomes.", catalog: catalog)
        }
    }

    /// A step's own fields (not its outcomes), named as within the step (`input_tokens`).
    /// (Inlined: called, it was handed a copy of the step, its name and four arrays retained and
    /// released, for every step of every record.)
    @inline(__always)
    package static func check(_ step: Step, nameChecked: Bool = false) throws(FieldProblem) {
        if !nameChecked { try name(step.name, "name") }
        try tokens(step.inputTokens, "input_tokens")
        if let output = step.outputTokens { try tokens(output, "output_tokens") }
        try tokens(step.cachedInputTokens, "cached_input_tokens")
        guard step.cachedInputTokens <= step.inputTokens else {
            throw FieldProblem(field: "cached_input_tokens", reason: "must not exceed input_tokens")
        }
    }

    private static func check(_ outcomes: [Outcome?], outputTokens: Int?, prefix: @autoclosure () -> String,
                              catalog: ModelCatalog) throws(FieldProblem) {
        for index in outcomes.indices {
            guard let outcome = outcomes[index] else { continue }
            do throws(FieldProblem) {
                try check(outcome, recordOutputTokens: outputTokens)
            } catch {
                throw FieldProblem(field: "\(prefix())\(catalog.models[index].name).\(error.field)", reason: error.reason)
            }
        }
    }

    /// The fields of the request itself (not its outcomes).
    package static func checkRequest(_ record: Record, namesChecked: Bool = false) throws(FieldProblem) {
        guard (-62_167_219_200.0...253_402_300_799.0).contains(record.timestamp) else {
            throw FieldProblem(field: "ts", reason: "must fall in the years 0000 to 9999 (a time in seconds read as milliseconds, or the reverse?)")
        }
        try tokens(record.inputTokens, "input_tokens")
        if let output = record.outputTokens { try tokens(output, "output_tokens") }
        try tokens(record.cachedInputTokens, "cached_input_tokens")
        try tokens(record.cacheWriteInputTokens, "cache_write_input_tokens")
        guard record.cachedInputTokens <= record.inputTokens else {
            throw FieldProblem(field: "cached_input_tokens", reason: "must not exceed input_tokens")
        }
        guard record.cachedInputTokens + record.cacheWriteInputTokens <= record.inputTokens else {
            throw FieldProblem(field: "cache_write_input_tokens", reason: "with cached_input_tokens must not exceed input_tokens (both are parts of the input)")
        }
        if !namesChecked, let category = record.category { try name(category, "category") }
        if !namesChecked, let servedBy = record.servedBy { try name(servedBy, "served_by") }
        if let confidence = record.routerConfidence { try score(confidence, "router.confidence") }
        if let propensity = record.propensity { try score(propensity, "propensity") }
    }

    /// One model's outcome, naming its fields as an outcome does (`latency_ms`): callers say
    /// whose outcome it is. An outcome without its own output tokens has the request's.
    package static func check(_ outcome: Outcome, recordOutputTokens: Int?) throws(FieldProblem) {
        @inline(__always)
        func within(_ value: Double, _ limit: Double, _ field: String, _ text: String) throws(FieldProblem) {
            guard value >= 0 else { throw FieldProblem(field: field, reason: "must be >= 0") }
            guard value <= limit else { throw FieldProblem(field: field, reason: "must be at most \(text) (see docs/log-formats.md, Limits)") }
        }
        if let latency = outcome.latencyMs { try within(latency, Limits.maxLatencyMs, "latency_ms", "1e10 ms (about 115 days)") }
        if let cost = outcome.costUSD { try within(cost, Limits.maxCallCostUSD, "cost_usd", "$1,000,000 for one call") }
        if let output = outcome.outputTokens { try within(Double(output), Limits.maxTokens, "output_tokens", "1e12 tokens") }
        if let reasoning = outcome.reasoningTokens { try within(Double(reasoning), Limits.maxTokens, "reasoning_tokens", "1e12 tokens") }
        if let quality = outcome.quality { try score(quality, "quality") }
        if let confidence = outcome.confidence { try score(confidence, "confidence") }
        if let input = outcome.input {
            try within(Double(input.tokens), Limits.maxTokens, "input_tokens", "1e12 tokens")
            guard input.cached + input.cacheWrite <= input.tokens else {
                throw FieldProblem(field: "cached_input_tokens", reason: "with cache_write_input_tokens must not exceed the outcome's input_tokens (they are part of it)")
            }
        }
        if let reasoning = outcome.reasoningTokens, reasoning > (outcome.outputTokens ?? recordOutputTokens ?? Int.max) {
            throw FieldProblem(field: "reasoning_tokens", reason: "must not exceed output_tokens (reasoning tokens are part of them)")
        }
    }

    /// A name read from a log (a model, a category): printable, since names reach reports,
    /// charts and file names.
    /// (`field` is made only for a name refused: ingest names an outcome's field from its place.)
    package static func name(_ text: String, _ field: @autoclosure () -> String) throws(FieldProblem) {
        if let problem = YAMLNode.nameProblem(text) { throw FieldProblem(field: field(), reason: problem) }
    }

    private static func tokens(_ count: Int, _ field: String) throws(FieldProblem) {
        guard count >= 0 else { throw FieldProblem(field: field, reason: "must be >= 0") }
        guard Double(count) <= Limits.maxTokens else {
            throw FieldProblem(field: field, reason: "must be at most 1e12 tokens (see docs/log-formats.md, Limits)")
        }
    }

    private static func score(_ value: Double, _ field: String) throws(FieldProblem) {
        guard (0...1).contains(value) else { throw FieldProblem(field: field, reason: "must be between 0 and 1") }
    }
}

import RouteSimModel
import RouteSimStatistics

/// Langfuse observations, one JSON object a line — what its public API returns
/// (`GET /api/public/observations`, one element of `data` a line) and its observation export
/// writes (docs/log-formats.md, "Langfuse"). Only model calls count: `type` GENERATION or
/// EMBEDDING; spans, events, tools and the rest are skipped. Calls of one request share `traceId`.
/// Langfuse counts usage in disjoint parts — `usageDetails` `input` is the uncached input, beside
/// `input_cached_tokens` or `cache_read_input_tokens` and `cache_creation_input_tokens`, and
/// `output` beside `output_reasoning_tokens` — whose sum is `total`; routesim's input is the sum
/// of the input parts, its output the sum of the output parts. `costDetails.total` is the cost
/// Langfuse computed or was given; an empty `costDetails` (a model Langfuse could not price)
/// leaves the call to the catalog. `level: ERROR` is a failure.
package enum LangfuseFormat {
    package static func observations(_ line: [String: Any]) throws(FieldProblem) -> [Observation] {
        let type = try ForeignLog.string(line["type"], "type")
        guard type == "GENERATION" || type == "EMBEDDING" else { return [] }
        let id = try ForeignLog.string(line["id"], "id")
        let trace = (ForeignLog.given(line["traceId"]) as? String).flatMap { $0.isEmpty ? nil : $0 } ?? id
        let model = try ForeignLog.string(ForeignLog.given(line["model"]) ?? ForeignLog.given(line["providedModelName"]), "model")
        let start = try ForeignLog.date(line["startTime"], "startTime")
        let end = try ForeignLog.given(line["endTime"]).map { value throws(FieldProblem) in try ForeignLog.date(value, "endTime") }
        if let end, end < start { throw FieldProblem(field: "endTime", reason: "must not be before startTime") }
        let usage = try usageCounts(line)
        let costs = ForeignLog.given(line["costDetails"]) as? [String: Any] ?? [:]
        let cost = try (ForeignLog.given(costs["total"]) ?? ForeignLog.given(line["calculatedTotalCost"])).map { value throws(FieldProblem) in
            try ForeignLog.number(value, ForeignLog.given(costs["total"]) != nil ? "costDetails.total" : "calculatedTotalCost")
        }
        let failed = (line["level"] as? String) == "ERROR"
        var outcome = Outcome(success: !failed, latencyMs: end.map { ($0 - start) * 1000 }, outputTokens: usage.output, costUSD: cost)
        outcome.reasoningTokens = usage.reasoning > 0 ? usage.reasoning : nil
        var observation = Observation(request: trace, timestamp: start, inputTokens: usage.input, cachedInputTokens: usage.cached,
                                      cacheWriteInputTokens: usage.written, category: nil, model: model, outcome: outcome,
                                      spanName: line["name"] as? String, end: end)
        // A failed call that counted nothing and cost nothing billed nothing.
        if failed, usage.input + usage.output == 0, (cost ?? 0) == 0 {
            observation.markUnbilled()
        }
        observation.spanID = id
        observation.parentSpanID = ForeignLog.given(line["parentObservationId"]) as? String
        return [observation]
    }

    /// The call's counts from `usageDetails` (else the older `usage` object's `input`/`output`).
    private static func usageCounts(_ line: [String: Any]) throws(FieldProblem)
        -> (input: Int, cached: Int, written: Int, output: Int, reasoning: Int) {
        guard let details = ForeignLog.given(line["usageDetails"]) as? [String: Any], !details.isEmpty else {
            let usage = ForeignLog.given(line["usage"]) as? [String: Any] ?? [:]
            let input = try ForeignLog.given(usage["input"]).map { value throws(FieldProblem) in try ForeignLog.count(value, "usage.input") } ?? 0
            let output = try ForeignLog.given(usage["output"]).map { value throws(FieldProblem) in try ForeignLog.count(value, "usage.output") } ?? 0
            return (input, 0, 0, output, 0)
        }
        var counts = (input: 0, cached: 0, written: 0, output: 0, reasoning: 0)
        for key in details.keys.sorted() where key != "total" {
            let count = try ForeignLog.count(details[key], "usageDetails.\(key)")
            if key.hasPrefix("output") {
                counts.output += count
                if key.contains("reasoning") { counts.reasoning += count }
            } else if key.hasPrefix("input") || key.hasPrefix("cache") {
                counts.input += count
                if key.contains("cache_read") || key.hasPrefix("input_cached") { counts.cached += count }
                if key.contains("cache_creation") || key.contains("cache_write") { counts.written += count }
            } else {
                throw FieldProblem(field: "usageDetails.\(key)", reason: "is a usage type routesim cannot place: name input parts input… or cache…, output parts output…")
            }
        }
        return counts
    }
}

import RouteSimModel
import RouteSimStatistics
import Foundation

/// Helicone's request export (docs/log-formats.md, "Helicone"): the CSV its export tool writes
/// (`response_id`, `response_created_at`, `response_status`, `request_created_at`,
/// `request_properties`, `model`, `prompt_tokens`, `completion_tokens`, `latency`, `cost`), or the
/// same rows as JSON lines, with the further columns of its request API where present
/// (`request_id`, `delay_ms`, `prompt_cache_read_tokens`, `prompt_cache_write_tokens`,
/// `reasoning_tokens`). Helicone counts usage in disjoint parts — its cost function prices
/// `prompt_tokens` as the fresh, uncached input beside the cache reads and writes, and its totals
/// add `reasoning_tokens` to `completion_tokens` — so routesim's input is their sum and its output
/// completion plus reasoning. `cost` is in USD. A session (`Helicone-Session-Id` among the
/// properties) joins calls into one request; the `category` property (any case) is the category.
package enum HeliconeFormat {
    /// Whether a CSV header is Helicone's export.
    package static func recognises(header: String) -> Bool {
        header.contains("response_status") && header.contains("request_created_at")
    }

    package static func observations(_ row: [String: Any]) throws(FieldProblem) -> [Observation] {
        func text(_ key: String) -> String? { ForeignLog.text(row[key]) }
        func count(_ key: String) throws(FieldProblem) -> Int {
            try text(key).map { value throws(FieldProblem) in try ForeignLog.count(value, key) } ?? 0
        }
        let id = try ForeignLog.string(text("request_id") ?? text("response_id"), "request_id")
        let properties = try self.properties(row["request_properties"] ?? row["properties"])
        let start = try ForeignLog.date(text("request_created_at"), "request_created_at")
        let status = try ForeignLog.count(text("response_status"), "response_status")
        let fresh = try count("prompt_tokens"), read = try count("prompt_cache_read_tokens"), written = try count("prompt_cache_write_tokens")
        let reasoning = try count("reasoning_tokens"), output = try count("completion_tokens") + reasoning
        var latency = try (text("latency") ?? text("delay_ms")).map { value throws(FieldProblem) in try ForeignLog.number(value, "latency") }
        if latency == nil, let answered = text("response_created_at") {
            latency = (try ForeignLog.date(answered, "response_created_at") - start) * 1000
        }
        if let latency, latency < 0 { throw FieldProblem(field: "response_created_at", reason: "must not be before request_created_at") }
        let cost = try (text("cost") ?? text("costUSD")).map { value throws(FieldProblem) in try ForeignLog.number(value, "cost") }
        var outcome = Outcome(success: (200..<300).contains(status), latencyMs: latency, outputTokens: output, costUSD: cost)
        outcome.reasoningTokens = reasoning > 0 ? reasoning : nil
        let category = properties.first { $0.key.lowercased() == "category" }?.value
        var observation = Observation(request: properties["Helicone-Session-Id"] ?? id, timestamp: start, inputTokens: fresh + read + written,
                                      cachedInputTokens: read, cacheWriteInputTokens: written, category: category,
                                      model: try ForeignLog.string(text("model"), "model"), outcome: outcome)
        // A failed request that counted nothing and cost nothing billed nothing.
        if !outcome.success, fresh + read + written + output == 0, (cost ?? 0) == 0 {
            observation.markUnbilled()
        }
        observation.responseID = id
        return [observation]
    }

    /// The request's properties: a JSON object (in the CSV, its text), or nothing.
    private static func properties(_ value: Any?) throws(FieldProblem) -> [String: String] {
        guard let value = ForeignLog.given(value) else { return [:] }
        var object = value as? [String: Any]
        if let text = value as? String {
            if text.isEmpty { return [:] }
            object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        }
        guard let object else { throw FieldProblem(field: "request_properties", reason: "must be a JSON object of properties") }
        return object.compactMapValues { $0 as? String }
    }
}

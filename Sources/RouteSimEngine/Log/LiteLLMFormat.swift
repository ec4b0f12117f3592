import RouteSimModel
import RouteSimStatistics
import Foundation

/// LiteLLM's StandardLoggingPayload, one JSON object a line (its logging callbacks' format), or a
/// row of its SpendLogs table (what `/spend/logs` returns; mapped by `LiteLLMSpendLogs.payload`).
/// Calls of one request share `trace_id` (else `id`); `startTime`/`endTime` are epoch seconds or
/// date strings (UTC unless they say otherwise); `response_cost` is the recorded cost — except a
/// 0 that LiteLLM wrote because it could not price the call (`response_cost_failure_debug_info`
/// set), which is no cost at all: the call is priced from the catalog, or refused when the
/// catalog has no price either, never taken as free. A failed call with a cost of 0 billed
/// nothing. `status` is success or failure. LiteLLM reports usage the OpenAI way, so
/// `prompt_tokens` include the cached ones (`metadata.usage_object.prompt_tokens_details.cached_tokens`).
/// The category is the first of `request_tags` (else of `metadata.tags`). A `model` the catalog
/// does not know is tried as `model_group`, the name the proxy routed by.
package enum LiteLLMFormat {
    package static func observations(_ line: [String: Any]) throws(FieldProblem) -> [Observation] {
        if line["response_cost"] == nil, line["request_id"] != nil, line["spend"] != nil {
            return try observations(LiteLLMSpendLogs.payload(line))
        }
        var request = (line["trace_id"] as? String) ?? ""
        if request.isEmpty { request = try ForeignLog.string(line["id"], "id") }
        let start = try time(line["startTime"], "startTime")
        let end = try time(line["endTime"], "endTime")
        guard end >= start else { throw FieldProblem(field: "endTime", reason: "must not be before startTime") }
        let metadata = line["metadata"] as? [String: Any]
        let details = ((metadata?["usage_object"] as? [String: Any])?["prompt_tokens_details"]) as? [String: Any]
        let input = try ForeignLog.count(line["prompt_tokens"], "prompt_tokens")
        let cached = try ForeignLog.given(details?["cached_tokens"]).map { value throws(FieldProblem) in
            try ForeignLog.count(value, "metadata.usage_object.prompt_tokens_details.cached_tokens")
        } ?? 0
        guard cached <= input else { throw FieldProblem(field: "metadata.usage_object.prompt_tokens_details.cached_tokens", reason: "must not exceed prompt_tokens") }
        let status = try ForeignLog.string(line["status"], "status")
        guard status == "success" || status == "failure" else { throw FieldProblem(field: "status", reason: "must be success or failure, got '\(status)'") }
        var cost = try ForeignLog.given(line["response_cost"]).map { value throws(FieldProblem) in
            try ForeignLog.number(value, "response_cost")
        }
        let unpriced = cost == 0 && ForeignLog.given(line["response_cost_failure_debug_info"]) != nil
        if unpriced { cost = nil }
        let tags = (line["request_tags"] as? [String]) ?? (metadata?["tags"] as? [String])
        var observation = Observation(
            request: request, timestamp: start, inputTokens: input, cachedInputTokens: cached,
            category: tags?.first, model: try ForeignLog.string(line["model"], "model"),
            outcome: Outcome(success: status == "success", latencyMs: (end - start) * 1000,
                             outputTokens: try ForeignLog.count(line["completion_tokens"], "completion_tokens"), costUSD: cost))
        observation.billed = status == "success" || cost != 0
        observation.repriced = unpriced
        observation.alternateModel = line["model_group"] as? String
        observation.responseID = (line["id"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return [observation]
    }

    /// Epoch seconds, as a number or a string of one, or a date string.
    private static func time(_ value: Any?, _ field: String) throws(FieldProblem) -> Double {
        if let text = value as? String, Double(text) == nil {
            guard let seconds = LiteLLMSpendLogs.seconds(text) else {
                throw FieldProblem(field: field, reason: "must be epoch seconds or a date like 2026-10-01 09:15:02.101 (UTC) or RFC 3339, got '\(text)'")
            }
            return seconds
        }
        return try ForeignLog.number(value, field)
    }
}

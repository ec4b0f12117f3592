import RouteSimModel
import RouteSimStatistics
/// LiteLLM's StandardLoggingPayload, one JSON object a line (its logging callbacks' format). Calls
/// of one request share `trace_id` (else `id`); `startTime`/`endTime` are epoch seconds;
/// `response_cost` is the recorded cost; `status` is success or failure. LiteLLM reports usage the
/// OpenAI way, so `prompt_tokens` include the cached ones (`metadata.usage_object.prompt_tokens_details.cached_tokens`).
/// The category is the first of `metadata.tags`, when there are tags.
package enum LiteLLMFormat {
    package static func observations(_ line: [String: Any]) throws(FieldProblem) -> [Observation] {
        var request = (line["trace_id"] as? String) ?? ""
        if request.isEmpty { request = try ForeignLog.string(line["id"], "id") }
        let start = try ForeignLog.number(line["startTime"], "startTime")
        let end = try ForeignLog.number(line["endTime"], "endTime")
        guard end >= start else { throw FieldProblem(field: "endTime", reason: "must not be before startTime") }
        let metadata = line["metadata"] as? [String: Any]
        let details = ((metadata?["usage_object"] as? [String: Any])?["prompt_tokens_details"]) as? [String: Any]
        let input = try ForeignLog.count(line["prompt_tokens"], "prompt_tokens")
        let cached = try details?["cached_tokens"].map { value throws(FieldProblem) in
            try ForeignLog.count(value, "metadata.usage_object.prompt_tokens_details.cached_tokens")
        } ?? 0
        guard cached <= input else { throw FieldProblem(field: "metadata.usage_object.prompt_tokens_details.cached_tokens", reason: "must not exceed prompt_tokens") }
        let status = try ForeignLog.string(line["status"], "status")
        guard status == "success" || status == "failure" else { throw FieldProblem(field: "status", reason: "must be success or failure, got '\(status)'") }
        let cost = try line["response_cost"].map { value throws(FieldProblem) in try ForeignLog.number(value, "response_cost") }
        return [Observation(
            request: request, timestamp: start, inputTokens: input, cachedInputTokens: cached,
            category: (metadata?["tags"] as? [String])?.first, model: try ForeignLog.string(line["model"], "model"),
            outcome: Outcome(success: status == "success", latencyMs: (end - start) * 1000,
                             outputTokens: try ForeignLog.count(line["completion_tokens"], "completion_tokens"), costUSD: cost))]
    }
}

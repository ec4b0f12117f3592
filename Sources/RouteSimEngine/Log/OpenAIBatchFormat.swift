import RouteSimModel
import RouteSimStatistics
/// OpenAI Batch API output: one line per request, `custom_id` naming it, `response.body` the chat
/// completion (model, created, usage). OpenAI's `prompt_tokens` include the cached ones
/// (`prompt_tokens_details.cached_tokens`), and `completion_tokens` the reasoning ones
/// (`completion_tokens_details.reasoning_tokens`). A request without a 200 response, or with `error`, failed.
package enum OpenAIBatchFormat {
    package static func observations(_ line: [String: Any]) throws(FieldProblem) -> [Observation] {
        let id = try ForeignLog.string(line["custom_id"], "custom_id")
        let response = try ForeignLog.object(line["response"], "response")
        let body = try ForeignLog.object(response["body"], "response.body")
        let usage = try ForeignLog.object(body["usage"], "response.body.usage")
        let status = try ForeignLog.count(response["status_code"], "response.status_code")
        let details = usage["prompt_tokens_details"] as? [String: Any]
        let input = try ForeignLog.count(usage["prompt_tokens"], "response.body.usage.prompt_tokens")
        let cached = try details?["cached_tokens"].map { value throws(FieldProblem) in
            try ForeignLog.count(value, "response.body.usage.prompt_tokens_details.cached_tokens")
        } ?? 0
        guard cached <= input else { throw FieldProblem(field: "response.body.usage.prompt_tokens_details.cached_tokens", reason: "must not exceed prompt_tokens") }
        let failed = line["error"] is [String: Any] || status != 200
        var outcome = Outcome(success: !failed, outputTokens: try ForeignLog.count(usage["completion_tokens"], "response.body.usage.completion_tokens"))
        // Reasoning models report the thinking part of the completion apart.
        outcome.reasoningTokens = try (usage["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"].map { value throws(FieldProblem) in
            try ForeignLog.count(value, "response.body.usage.completion_tokens_details.reasoning_tokens")
        }
        return [Observation(
            request: id, timestamp: try ForeignLog.number(body["created"], "response.body.created"), inputTokens: input,
            cachedInputTokens: cached, category: nil, model: try ForeignLog.string(body["model"], "response.body.model"), outcome: outcome)]
    }
}

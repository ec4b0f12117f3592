import RouteSimModel
import RouteSimStatistics

/// OpenAI Batch API output and error files, and vLLM's `run_batch` output, which has the same
/// shape (docs/log-formats.md, "OpenAI Batch and vLLM"): one line per request, `custom_id` naming
/// it, `response.body` the endpoint's answer — a chat or text completion (`created`, `usage`
/// with `prompt_tokens` that include `prompt_tokens_details.cached_tokens` and
/// `completion_tokens` that include `completion_tokens_details.reasoning_tokens`), a Responses
/// API response (`created_at`, `usage.input_tokens`/`output_tokens`, `status`), or an embedding
/// list (`usage.prompt_tokens` only, and from OpenAI no time). A line without an answer (the
/// error file's `response: null`, vLLM's status 400 without a body, any `body.error`) is a
/// failed request that no model answered: it names no model and billed nothing.
package enum OpenAIBatchFormat {
    package static func observations(_ line: [String: Any]) throws(FieldProblem) -> [Observation] {
        let id = try ForeignLog.string(line["custom_id"], "custom_id")
        let response = ForeignLog.given(line["response"])
        guard let response = response as? [String: Any] else {
            guard response == nil else { throw FieldProblem(field: "response", reason: "must be an object or null") }
            return [try unanswered(id, line, response: [:])]
        }
        let status = try ForeignLog.given(response["status_code"]).map { value throws(FieldProblem) in
            try ForeignLog.count(value, "response.status_code")
        } ?? 200
        guard let body = ForeignLog.given(response["body"]) as? [String: Any], ForeignLog.given(body["error"]) == nil,
              ForeignLog.given(body["usage"]) != nil || status == 200 else {
            return [try unanswered(id, line, response: response)]
        }
        let usage = try ForeignLog.object(body["usage"], "response.body.usage")
        var observation = body["object"] as? String == "response"
            ? try responsesCall(id, body, usage) : try completionCall(id, body, usage)
        if ForeignLog.given(line["error"]) != nil || status != 200 { observation.outcome.success = false }
        observation.responseID = (body["id"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return [observation]
    }

    /// A chat or text completion, or an embedding list (no completion tokens).
    private static func completionCall(_ id: String, _ body: [String: Any], _ usage: [String: Any]) throws(FieldProblem) -> Observation {
        let input = try ForeignLog.count(usage["prompt_tokens"], "response.body.usage.prompt_tokens")
        let cached = try detail(usage, "prompt_tokens_details", "cached_tokens", of: "prompt_tokens") ?? 0
        guard cached <= input else {
            throw FieldProblem(field: "response.body.usage.prompt_tokens_details.cached_tokens", reason: "must not exceed prompt_tokens")
        }
        let embeddings = body["object"] as? String == "list"
        let output = embeddings && ForeignLog.given(usage["completion_tokens"]) == nil
            ? 0 : try ForeignLog.count(usage["completion_tokens"], "response.body.usage.completion_tokens")
        var outcome = Outcome(success: true, outputTokens: output)
        // Reasoning models report the thinking part of the completion apart.
        outcome.reasoningTokens = try detail(usage, "completion_tokens_details", "reasoning_tokens", of: "completion_tokens")
        var observation = Observation(request: id, timestamp: 0, inputTokens: input, cachedInputTokens: cached, category: nil,
                                      model: try ForeignLog.string(body["model"], "response.body.model"), outcome: outcome)
        // OpenAI's embedding lists carry no time; vLLM's do.
        if embeddings && ForeignLog.given(body["created"]) == nil {
            observation.timed = false
        } else {
            observation.timestamp = try ForeignLog.number(body["created"], "response.body.created")
        }
        return observation
    }

    /// A Responses API response (`/v1/responses`): anything but `status: completed` failed
    /// (`failed`, or `incomplete` — cut short by a token limit or a content filter, and billed).
    private static func responsesCall(_ id: String, _ body: [String: Any], _ usage: [String: Any]) throws(FieldProblem) -> Observation {
        let input = try ForeignLog.count(usage["input_tokens"], "response.body.usage.input_tokens")
        let cached = try detail(usage, "input_tokens_details", "cached_tokens", of: "input_tokens") ?? 0
        guard cached <= input else {
            throw FieldProblem(field: "response.body.usage.input_tokens_details.cached_tokens", reason: "must not exceed input_tokens")
        }
        let status = try ForeignLog.string(body["status"], "response.body.status")
        var outcome = Outcome(success: status == "completed",
                              outputTokens: try ForeignLog.count(usage["output_tokens"], "response.body.usage.output_tokens"))
        outcome.reasoningTokens = try detail(usage, "output_tokens_details", "reasoning_tokens", of: "output_tokens")
        return Observation(request: id, timestamp: try ForeignLog.number(body["created_at"], "response.body.created_at"),
                           inputTokens: input, cachedInputTokens: cached, category: nil,
                           model: try ForeignLog.string(body["model"], "response.body.model"), outcome: outcome)
    }

    /// A count inside a usage details object (`prompt_tokens_details.cached_tokens`), nil when not given.
    private static func detail(_ usage: [String: Any], _ object: String, _ key: String, of total: String) throws(FieldProblem) -> Int? {
        try (ForeignLog.given(usage[object]) as? [String: Any]).flatMap { ForeignLog.given($0[key]) }.map { value throws(FieldProblem) in
            try ForeignLog.count(value, "response.body.usage.\(object).\(key)")
        }
    }

    /// A request that failed before a model answered: why, for the messages, from the line's
    /// `error` (an object with `code` and `message`, or vLLM's string) or the body's.
    private static func unanswered(_ id: String, _ line: [String: Any], response: [String: Any]) throws(FieldProblem) -> Observation {
        let error = ForeignLog.given(line["error"]) ?? (ForeignLog.given(response["body"]) as? [String: Any]).flatMap { ForeignLog.given($0["error"]) }
        guard let error else {
            throw FieldProblem(field: response.isEmpty ? "response" : "response.body",
                               reason: "is required: a line needs the endpoint's answer, or an error saying why there is none")
        }
        let reason: String
        if let object = error as? [String: Any] {
            reason = [object["code"], object["message"]].compactMap { $0 as? String }.joined(separator: ": ")
        } else {
            reason = error as? String ?? "an error"
        }
        var observation = Observation(request: id, timestamp: 0, inputTokens: 0, cachedInputTokens: 0, category: nil, model: "",
                                      outcome: Outcome(success: false, outputTokens: 0))
        observation.markUnbilled()
        observation.timed = false
        observation.unanswered = reason.isEmpty ? "an error" : reason
        return observation
    }
}

import RouteSimModel
import RouteSimStatistics
import Foundation

/// OpenTelemetry GenAI spans as OTLP JSON (one export request a line, as the collector's file
/// exporter writes). Every span naming a model is a call; spans of one trace are one request.
/// Attributes: the current names (`gen_ai.request.model`, `gen_ai.response.model`,
/// `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`, `gen_ai.provider.name`), the
/// deprecated ones still in the wild (`gen_ai.usage.prompt_tokens`, `gen_ai.usage.completion_tokens`,
/// `gen_ai.system`), and OpenInference's (`llm.model_name`, `llm.token_count.prompt`,
/// `llm.token_count.completion`, `llm.token_count.prompt_details.cache_read`). OTel's input tokens
/// include cached ones, except from Anthropic, whose input excludes cache reads and writes (they are
/// added in; `gen_ai.usage.cache_creation.input_tokens` counts the writes).
/// A span with status code 2 (ERROR) or an `error.type` failed. `routesim.category` sets the category.
/// A trace any of whose model spans carries `routesim.step` or `gen_ai.agent.name` is a workflow:
/// each span is a call of the step it names (else of its span name), ordered by time. Span times
/// are read as whole nanoseconds, so durations are exact.
package enum OTelGenAIFormat {
    package static let model = ["gen_ai.response.model", "gen_ai.request.model", "llm.model_name"]
    package static let input = ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"]
    package static let output = ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"]
    package static let cached = ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens", "llm.token_count.prompt_details.cache_read"]
    package static let provider = ["gen_ai.provider.name", "gen_ai.system", "llm.provider"]
    package static let cacheWrite = ["gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens", "llm.token_count.prompt_details.cache_write"]

    package static func observations(_ export: [String: Any]) throws(FieldProblem) -> [Observation] {
        guard let resources = export["resourceSpans"] as? [[String: Any]] else {
            throw FieldProblem(field: "resourceSpans", reason: "is required (an OTLP JSON trace export)")
        }
        var observations: [Observation] = []
        for resource in resources {
            for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scope["spans"] as? [[String: Any]] ?? [] {
                    let attributes = Self.attributes(span["attributes"])
                    guard let model = Self.model.lazy.compactMap({ attributes[$0] as? String }).first else { continue }
                    let trace = try ForeignLog.string(span["traceId"], "traceId")
                    func first(_ names: [String]) throws(FieldProblem) -> Int? {
                        guard let name = names.first(where: { attributes[$0] != nil }) else { return nil }
                        return try ForeignLog.count(attributes[name], name)
                    }
                    guard var input = try first(Self.input) else {
                        throw FieldProblem(field: "gen_ai.usage.input_tokens", reason: "is required on span of model '\(model)' (or gen_ai.usage.prompt_tokens, llm.token_count.prompt)")
                    }
                    let cachedTokens = try first(Self.cached) ?? 0
                    let writtenTokens = try first(Self.cacheWrite) ?? 0
                    let providerName = Self.provider.lazy.compactMap { attributes[$0] as? String }.first?.lowercased() ?? ""
                    if providerName.contains("anthropic") { input += cachedTokens + writtenTokens }
                    let start = try ForeignLog.nanoseconds(span["startTimeUnixNano"], "startTimeUnixNano")
                    let end = try ForeignLog.nanoseconds(span["endTimeUnixNano"], "endTimeUnixNano")
                    guard end >= start else { throw FieldProblem(field: "endTimeUnixNano", reason: "must not be before startTimeUnixNano") }
                    let status = ((span["status"] as? [String: Any])?["code"]).flatMap { ($0 as? NSNumber)?.intValue ?? ($0 as? String).flatMap(Int.init) }
                    let failed = status == 2 || (span["status"] as? [String: Any])?["code"] as? String == "STATUS_CODE_ERROR" || attributes["error.type"] != nil
                    observations.append(Observation(
                        request: trace, timestamp: Double(start) / 1e9, inputTokens: input, cachedInputTokens: min(cachedTokens, input),
                        cacheWriteInputTokens: min(writtenTokens, input - min(cachedTokens, input)),
                        category: attributes["routesim.category"] as? String, model: model,
                        outcome: Outcome(success: !failed, latencyMs: Double(end - start) / 1e6, outputTokens: try first(Self.output)),
                        step: (attributes["routesim.step"] ?? attributes["gen_ai.agent.name"]) as? String,
                        spanName: span["name"] as? String, end: Double(end) / 1e9))
                }
            }
        }
        guard !observations.isEmpty else { throw FieldProblem(field: "resourceSpans", reason: "holds no span naming a model (gen_ai.request.model)") }
        return observations
    }

    /// OTLP's `[{key, value: {stringValue | intValue | doubleValue | boolValue}}]` as a dictionary.
    package static func attributes(_ value: Any?) -> [String: Any] {
        var out: [String: Any] = [:]
        for item in value as? [[String: Any]] ?? [] {
            guard let key = item["key"] as? String, let wrapped = item["value"] as? [String: Any] else { continue }
            out[key] = wrapped["stringValue"] ?? wrapped["intValue"] ?? wrapped["doubleValue"] ?? wrapped["boolValue"]
        }
        return out
    }
}

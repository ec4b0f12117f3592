import RouteSimModel
import RouteSimStatistics
import Foundation

/// OpenTelemetry GenAI spans as OTLP JSON (one export request a line, as the collector's file
/// exporter writes, or one pretty-printed document). Every span naming a model is a call; the
/// spans of one trace are one request, joined across lines (docs/log-formats.md, "Formats
/// people already have").
/// Attributes: the current names (`gen_ai.request.model`, `gen_ai.response.model`,
/// `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`, `gen_ai.response.id`), the
/// deprecated ones still in the wild (`gen_ai.usage.prompt_tokens`, `gen_ai.usage.completion_tokens`),
/// OpenLLMetry's and the Anthropic SDK's cache names, and OpenInference's (`llm.model_name`,
/// `llm.token_count.*`). Input tokens include cached and cache-written ones, as the conventions say
/// and every instrumentation we know writes them (OpenLLMetry's Anthropic instrumentation adds
/// Anthropic's separate counts together before writing the attribute); a cache count larger than
/// the input is refused, not clamped. Reasoning tokens are part of the output tokens.
/// A span with status code 2 (ERROR) or an `error.type` failed; a failed span without usage billed
/// nothing. `routesim.category` sets the category; `routesim.step` or `gen_ai.agent.name` names
/// the call's step. Span times are read as whole nanoseconds, so durations are exact.
package enum OTelGenAIFormat {
    package static let model = ["gen_ai.response.model", "gen_ai.request.model", "llm.model_name"]
    package static let input = ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"]
    package static let output = ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"]
    package static let cached = ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
                                 "llm.token_count.prompt_details.cache_read"]
    package static let cacheWrite = ["gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_write.input_tokens",
                                     "gen_ai.usage.cache_creation_input_tokens", "llm.token_count.prompt_details.cache_write"]
    package static let reasoning = ["gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens",
                                    "llm.token_count.completion_details.reasoning"]

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
                    do throws(FieldProblem) {
                        observations.append(try call(span, attributes, trace: trace, model: model))
                    } catch {
                        observations.append(.unreadable(request: trace, model: model, error))
                    }
                }
            }
        }
        guard !observations.isEmpty else { throw FieldProblem(field: "resourceSpans", reason: "holds no span naming a model (gen_ai.request.model)") }
        return observations
    }

    /// One model span as a call.
    private static func call(_ span: [String: Any], _ attributes: [String: Any], trace: String, model: String) throws(FieldProblem) -> Observation {
        func first(_ names: [String]) throws(FieldProblem) -> (name: String, value: Int)? {
            guard let name = names.first(where: { attributes[$0] != nil }) else { return nil }
            return (name, try ForeignLog.count(attributes[name], name))
        }
        let start = try ForeignLog.nanoseconds(span["startTimeUnixNano"], "startTimeUnixNano")
        let end = try ForeignLog.nanoseconds(span["endTimeUnixNano"], "endTimeUnixNano")
        guard end >= start else { throw FieldProblem(field: "endTimeUnixNano", reason: "must not be before startTimeUnixNano") }
        let statusObject = span["status"] as? [String: Any]
        let status = statusObject?["code"].flatMap { ($0 as? NSNumber)?.intValue ?? ($0 as? String).flatMap(Int.init) }
        let failed = status == 2 || statusObject?["code"] as? String == "STATUS_CODE_ERROR" || attributes["error.type"] != nil
        let input = try first(Self.input)
        let billed = input != nil
        if input == nil && !failed {
            throw FieldProblem(field: "gen_ai.usage.input_tokens",
                               reason: "is required on a successful span of model '\(model)' (or gen_ai.usage.prompt_tokens, llm.token_count.prompt)")
        }
        let inputTokens = input?.value ?? 0
        let cachedTokens = try first(Self.cached)
        let writtenTokens = try first(Self.cacheWrite)
        let cacheTotal = (cachedTokens?.value ?? 0) + (writtenTokens?.value ?? 0)
        if cacheTotal > inputTokens, let part = cachedTokens ?? writtenTokens {
            throw FieldProblem(field: part.name, reason: "cache reads and writes (\(cacheTotal)) exceed the input tokens (\(inputTokens)): input tokens include cached ones by the GenAI conventions, so this source counts them apart — add them into \(input?.name ?? "gen_ai.usage.input_tokens") before reading")
        }
        var outcome = Outcome(success: !failed, latencyMs: Double(end - start) / 1e6, outputTokens: try first(Self.output)?.value ?? (billed ? nil : 0))
        if let reasoning = try first(Self.reasoning) {
            guard reasoning.value <= outcome.outputTokens ?? 0 else {
                throw FieldProblem(field: reasoning.name, reason: "(\(reasoning.value)) exceeds the output tokens (\(outcome.outputTokens ?? 0)), of which reasoning tokens are a part")
            }
            outcome.reasoningTokens = reasoning.value
        }
        if !billed { outcome.costUSD = 0 }
        var observation = Observation(
            request: trace, timestamp: Double(start) / 1e9, inputTokens: inputTokens, cachedInputTokens: cachedTokens?.value ?? 0,
            cacheWriteInputTokens: writtenTokens?.value ?? 0, category: attributes["routesim.category"] as? String, model: model,
            outcome: outcome, step: (attributes["routesim.step"] ?? attributes["gen_ai.agent.name"]) as? String,
            spanName: span["name"] as? String, end: Double(end) / 1e9)
        observation.billed = billed
        observation.responseID = attributes["gen_ai.response.id"] as? String
        observation.spanID = span["spanId"] as? String
        observation.parentSpanID = span["parentSpanId"] as? String
        return observation
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

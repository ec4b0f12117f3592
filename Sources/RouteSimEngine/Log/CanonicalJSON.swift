import RouteSimModel
import RouteSimStatistics
import Foundation

/// A record written back as one canonical JSONL line (docs/log-formats.md), as the store keeps it.
package enum CanonicalJSON {
    package static func line(_ record: Record, catalog: ModelCatalog) -> String {
        var fields: [(String, JSONValue)] = [
            ("id", .string(record.id)),
            ("ts", .string(timestamp(record.timestamp))),
            ("input_tokens", .integer(record.inputTokens)),
        ]
        if let output = record.outputTokens { fields.append(("output_tokens", .integer(output))) }
        if record.cachedInputTokens > 0 { fields.append(("cached_input_tokens", .integer(record.cachedInputTokens))) }
        if record.cacheWriteInputTokens > 0 { fields.append(("cache_write_input_tokens", .integer(record.cacheWriteInputTokens))) }
        if let category = record.category { fields.append(("category", .string(category))) }
        // One recorded call is what served the request; several (a fallback) have no canonical
        // form yet, so `recorded` refuses them from the store (docs/store.md).
        if record.calls.count == 1 { fields.append(("served_by", .string(catalog.models[record.calls[0]].name))) }
        guard !record.steps.isEmpty else {
            fields.append(("outcomes", outcomes(record.outcomes, catalog)))
            return JSONValue.object(fields).compact()
        }
        // Steps name what they wait for; a step's rounds share its name, so `after` names the
        // latest earlier step of a name, as the reader resolves it (docs/log-formats.md, "Steps").
        fields.append(("steps", .array(record.steps.map { step in
            var members: [(String, JSONValue)] = [("name", .string(step.name))]
            members.append(("after", .array(step.after.map { .string(record.steps[$0].name) })))
            members.append(("input_tokens", .integer(step.inputTokens)))
            if let output = step.outputTokens { members.append(("output_tokens", .integer(output))) }
            if step.cachedInputTokens > 0 { members.append(("cached_input_tokens", .integer(step.cachedInputTokens))) }
            members.append(("outcomes", outcomes(step.outcomes, catalog)))
            return .object(members)
        })))
        return JSONValue.object(fields).compact()
    }

    private static func outcomes(_ outcomes: [Outcome?], _ catalog: ModelCatalog) -> JSONValue {
        var written: [(String, JSONValue)] = []
        for (index, outcome) in outcomes.enumerated() {
            guard let outcome else { continue }
            var members: [(String, JSONValue)] = [("success", .bool(outcome.success))]
            if let value = outcome.quality { members.append(("quality", .number(value))) }
            if let value = outcome.latencyMs { members.append(("latency_ms", .number(value))) }
            if let value = outcome.outputTokens { members.append(("output_tokens", .integer(value))) }
            if let value = outcome.reasoningTokens { members.append(("reasoning_tokens", .integer(value))) }
            if let input = outcome.input {
                members.append(("input_tokens", .integer(input.tokens)))
                if input.cached > 0 { members.append(("cached_input_tokens", .integer(input.cached))) }
                if input.cacheWrite > 0 { members.append(("cache_write_input_tokens", .integer(input.cacheWrite))) }
            }
            if let value = outcome.costUSD { members.append(("cost_usd", .number(value))) }
            if let value = outcome.confidence { members.append(("confidence", .number(value))) }
            written.append((catalog.models[index].name, .object(members)))
        }
        return .object(written)
    }

    /// RFC 3339 in UTC, with the fraction of a second when there is one.
    package static func timestamp(_ seconds: Double) -> String {
        let whole = ISOTime.format(seconds)
        let fraction = seconds - seconds.rounded(.down)
        guard fraction > 0 else { return whole }
        let digits = Format.fixed(fraction, 6).dropFirst().replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
        return whole.dropLast() + digits + "Z"
    }
}

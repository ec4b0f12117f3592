import RouteSimModel
import RouteSimStatistics
import Foundation

/// LiteLLM's SpendLogs table, exported as CSV or returned as JSON by its `/spend/logs` API
/// (`request_id`, `spend`, `prompt_tokens`, `completion_tokens`, `startTime`, `endTime`, `model`,
/// and optionally `model_group`, `session_id`, `status`, `request_tags`). Each row is read as the
/// StandardLoggingPayload it records, so both LiteLLM sources follow one mapping: `session_id`
/// joins calls of one request (else `request_id`), `spend` is the cost, a missing `status` means
/// success, the first of `request_tags` is the category.
package enum LiteLLMSpendLogs {
    package static func recognises(header: String) -> Bool {
        header.contains("request_id") && header.contains("spend")
    }

    package static func items(path: String) throws -> [ForeignLog.Item] {
        try ForeignLog.csvItems(path: path).map { line, raw, row in (line, raw, row.map(payload)) }
    }

    /// A SpendLogs row (CSV text or typed JSON values) as a StandardLoggingPayload.
    package static func payload(_ row: [String: Any]) -> [String: Any] {
        func text(_ key: String) -> String? { ForeignLog.text(row[key]) }
        var object: [String: Any] = ["id": text("request_id") ?? "", "trace_id": text("session_id") ?? "",
                                     "model": text("model") ?? "", "status": text("status") ?? "success"]
        if let group = text("model_group") { object["model_group"] = group }
        for (key, column) in [("response_cost", "spend"), ("prompt_tokens", "prompt_tokens"), ("completion_tokens", "completion_tokens"),
                              ("startTime", "startTime"), ("endTime", "endTime")] {
            if let value = ForeignLog.given(row[column]), text(column) != nil { object[key] = value }
        }
        if let tags = row["request_tags"] as? [String] {
            object["request_tags"] = tags
        } else if let tags = text("request_tags"), let list = (try? JSONSerialization.jsonObject(with: Data(tags.utf8))) as? [String] {
            object["request_tags"] = list
        }
        if let metadata = row["metadata"] as? [String: Any] { object["metadata"] = metadata }
        return object
    }

    /// Epoch seconds of `2025-01-15 10:20:30.123` (UTC, as LiteLLM's database exports it) or RFC 3339.
    package static func seconds(_ text: String) -> Double? {
        var normalised = text.replacingOccurrences(of: " ", with: "T")
        if !normalised.hasSuffix("Z"), normalised.range(of: #"[+-]\d{2}:\d{2}$"#, options: .regularExpression) == nil { normalised += "Z" }
        return parseRFC3339(normalised)
    }
}

import RouteSimModel

/// Whether each trace's spans form one tree (docs/metrics.md, "Cost checks"). A trace whose spans
/// have more than one root — a span whose parent no line of the log holds, beside another root —
/// lost spans (a dropped export batch, a sampler), so its calls may be incomplete. A single root
/// whose parent lives in another service's log is the normal case, and is not flagged.
package enum SpanTree {
    /// A span's trace, id, parent (empty: none) and where its parent is named.
    package typealias Link = (trace: String, id: String, parent: String, field: String)

    /// Every span of an OTLP export, model spans or not.
    package static func otel(_ export: [String: Any]) -> [Link] {
        var links: [Link] = []
        for (r, resource) in (export["resourceSpans"] as? [[String: Any]] ?? []).enumerated() {
            for (s, scope) in (resource["scopeSpans"] as? [[String: Any]] ?? []).enumerated() {
                for (k, span) in (scope["spans"] as? [[String: Any]] ?? []).enumerated() {
                    guard let trace = span["traceId"] as? String, let id = span["spanId"] as? String else { continue }
                    links.append((trace, id, span["parentSpanId"] as? String ?? "", "resourceSpans[\(r)].scopeSpans[\(s)].spans[\(k)].parentSpanId"))
                }
            }
        }
        return links
    }

    /// A Langfuse observation.
    package static func langfuse(_ observation: [String: Any]) -> [Link] {
        guard let trace = observation["traceId"] as? String, let id = observation["id"] as? String else { return [] }
        return [(trace, id, observation["parentObservationId"] as? String ?? "", "parentObservationId")]
    }

    /// One finding per trace whose spans do not form one tree, at its first span with a missing parent.
    package static func findings(_ items: [ForeignLog.Item], path: String, links: ([String: Any]) -> [Link]) -> [(CostLint.Kind, RecordProblem)] {
        var spans: [String: [(link: Link, line: Int)]] = [:], order: [String] = []
        for item in items {
            guard case let .success(object) = item.object else { continue }
            for link in links(object) {
                if spans[link.trace] == nil { order.append(link.trace) }
                spans[link.trace, default: []].append((link, item.line))
            }
        }
        var found: [(CostLint.Kind, RecordProblem)] = []
        for trace in order {
            let members = spans[trace]!
            let ids = Set(members.map(\.link.id))
            let roots = members.filter { $0.link.parent.isEmpty || !ids.contains($0.link.parent) }
            guard roots.count > 1, let orphan = roots.first(where: { !$0.link.parent.isEmpty }) else { continue }
            found.append((.orphanSpans, RecordProblem(
                file: path, line: orphan.line, field: orphan.link.field,
                reason: "trace '\(trace)': span '\(orphan.link.id)' names parent '\(orphan.link.parent)', which no line of the log holds, and the trace has \(roots.count) roots: spans were lost (a dropped export batch, a sampler), so its calls may be incomplete",
                raw: "")))
        }
        return found
    }
}

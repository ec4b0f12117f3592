import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// Service-level objectives for error budgets (docs/metrics.md), read from a YAML file:
///
///     window: 1d                 # 1d, 6h, 1h, 30m …
///     success: 0.93              # a policy's overall success rate
///     routing_accuracy: 0.85
///     models: {small: 0.90, medium: 0.95}   # success of the answers a policy takes from each model
///     latency_budget:            # for each window: at least `within` of requests (or of a step's runs) in budget
///       end_to_end_ms: 9000
///       within: 0.95
///       steps: {generation: 70%, verification: 1500}
///     step_success: {intent: 0.97, generation: 0.93}   # targets of the complexity matrix
public struct SLOSpec: Sendable {
    public var windowSeconds: Double
    public var success: Double?
    public var routingAccuracy: Double?
    /// Target per catalog model index.
    public var models: [(model: Int, target: Double)]
    /// Latency budgets, and the share of requests (or step runs) that must meet them in each window.
    public var latencyBudget: LatencyBudget?
    public var latencyWithin = 0.95
    /// Success targets per step name, for the complexity matrix; a step without one uses `success`.
    public var stepSuccess: [String: Double] = [:]

    public static func load(path: String, catalog: ModelCatalog) throws -> SLOSpec {
        try parse(TextFile.read(path), file: path, catalog: catalog)
    }

    package static func parse(_ text: String, file: String, catalog: ModelCatalog) throws -> SLOSpec {
        let root = try YAMLNode.document(of: text, file: file)
        try root.onlyKeys(["window", "success", "routing_accuracy", "models", "latency_budget", "step_success"])
        var window = 86_400.0
        if let node = try root.optional("window") {
            guard let seconds = duration(try node.string()) else {
                throw node.failure("must be a duration such as 1d, 6h, 1h or 30m")
            }
            // Each request's window is its time divided by the window's length, as a whole number:
            // below a minute a budget says little, and far below it the number no longer fits.
            guard seconds >= 60 else { throw node.failure("must be at least a minute (1m), such as 1d, 6h, 1h or 30m") }
            window = seconds
        }
        var models: [(Int, Double)] = []
        for (name, target) in try root.optional("models")?.mapping() ?? [] {
            guard let index = catalog.index(of: name) else { throw target.failure("model '\(name)' is not in the catalog \(catalog.file)") }
            models.append((index, try target.unitInterval()))
        }
        var spec = SLOSpec(windowSeconds: window, success: try root.optional("success")?.unitInterval(),
                           routingAccuracy: try root.optional("routing_accuracy")?.unitInterval(), models: models)
        if let node = try root.optional("latency_budget") {
            spec.latencyBudget = try latencyBudget(node)
            spec.latencyWithin = try node.optional("within")?.unitInterval() ?? 0.95
        }
        for (name, target) in try root.optional("step_success")?.mapping() ?? [] {
            if let problem = YAMLNode.nameProblem(name) { throw target.failure("the step name \(problem)") }
            spec.stepSuccess[name] = try target.unitInterval()
        }
        guard spec.success != nil || spec.routingAccuracy != nil || !models.isEmpty || spec.latencyBudget != nil
            || !spec.stepSuccess.isEmpty else {
            throw root.failure("gives no target: set success, routing_accuracy, models, latency_budget or step_success")
        }
        return spec
    }

    /// `latency_budget:` — an end-to-end budget in ms and per-step budgets, each in ms or as a
    /// share of the end-to-end budget ("70%").
    private static func latencyBudget(_ node: YAMLNode) throws -> LatencyBudget {
        try node.onlyKeys(["end_to_end_ms", "within", "steps"])
        let total = try node.optional("end_to_end_ms")?.milliseconds()
        var steps: [String: Double] = [:]
        for (name, value) in try node.optional("steps")?.mapping() ?? [] {
            if let problem = YAMLNode.nameProblem(name) { throw value.failure("the step name \(problem)") }
            let text = try value.string()
            if text.hasSuffix("%") {
                guard let share = DecimalText.double(String(text.dropLast())), share > 0, share <= 100 else {
                    throw value.failure("must be a share such as 70% (of end_to_end_ms) or milliseconds, got '\(text)'")
                }
                guard let total else { throw value.failure("a share of the end-to-end budget needs end_to_end_ms") }
                steps[name] = total * share / 100
            } else {
                steps[name] = try value.milliseconds()
            }
        }
        guard total != nil || !steps.isEmpty else { throw node.failure("gives no budget: set end_to_end_ms or steps") }
        return LatencyBudget(endToEndMs: total, steps: steps)
    }

    /// Seconds in "1d", "6h", "15m" or "90s".
    package static func duration(_ text: String) -> Double? {
        guard let unit = text.last, let count = Double(text.dropLast()), count > 0 else { return nil }
        switch unit {
        case "d": return count * 86_400
        case "h": return count * 3_600
        case "m": return count * 60
        case "s": return count
        default: return nil
        }
    }
}

import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// Service-level objectives for error budgets (docs/metrics.md), read from a YAML file:
///
///     window: 1d                 # 1d, 6h, 1h, 30m …
///     success: 0.93              # a policy's overall success rate
///     routing_accuracy: 0.85
///     models: {small: 0.90, medium: 0.95}   # success of the answers a policy takes from each model
public struct SLOSpec: Sendable {
    public var windowSeconds: Double
    public var success: Double?
    public var routingAccuracy: Double?
    /// Target per catalog model index.
    public var models: [(model: Int, target: Double)]

    public static func load(path: String, catalog: ModelCatalog) throws -> SLOSpec {
        try parse(TextFile.read(path), file: path, catalog: catalog)
    }

    package static func parse(_ text: String, file: String, catalog: ModelCatalog) throws -> SLOSpec {
        let root = try YAMLNode.document(of: text, file: file)
        try root.onlyKeys(["window", "success", "routing_accuracy", "models"])
        var window = 86_400.0
        if let node = try root.optional("window") {
            guard let seconds = duration(try node.string()) else {
                throw node.failure("must be a duration such as 1d, 6h, 1h or 30m")
            }
            window = seconds
        }
        var models: [(Int, Double)] = []
        for (name, target) in try root.optional("models")?.mapping() ?? [] {
            guard let index = catalog.index(of: name) else { throw target.failure("model '\(name)' is not in the catalog \(catalog.file)") }
            models.append((index, try target.unitInterval()))
        }
        let spec = SLOSpec(windowSeconds: window, success: try root.optional("success")?.unitInterval(),
                           routingAccuracy: try root.optional("routing_accuracy")?.unitInterval(), models: models)
        guard spec.success != nil || spec.routingAccuracy != nil || !models.isEmpty else {
            throw root.failure("gives no target: set success, routing_accuracy or models")
        }
        return spec
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

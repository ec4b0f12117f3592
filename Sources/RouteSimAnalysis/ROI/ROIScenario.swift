import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// A what-if with no log (docs/commands.md): volume, per-model prices, today's model, tomorrow's mix.
public struct ROIScenario: Sendable {
    public var monthlyRequests: Double
    public var baseline: String
    public var engineeringCostUSD: Double?
    /// Cost of one call per model, in file order.
    public var callCost: [(model: String, usd: Double)]
    /// What each self-hosted model's provisioned fleet costs a month, whatever its traffic
    /// (replicas × GPUs × price an hour × 720 hours; docs/capacity.md).
    public var fleetMonthlyUSD: [String: Double] = [:]
    /// Share of traffic each model takes under the new design, in file order.
    public var mix: [(model: String, share: Double)]
    /// Share of traffic on the new design in months 1, 2, … (the last holds); empty: all at once.
    public var rollout: [Double]

    public static func load(path: String) throws -> ROIScenario {
        try parse(TextFile.read(path), file: path)
    }

    package static func parse(_ text: String, file: String) throws -> ROIScenario {
        let root = try YAMLNode.document(of: text, file: file)
        try root.onlyKeys(["monthly_requests", "baseline", "engineering_cost_usd", "avg_input_tokens",
                           "avg_output_tokens", "models", "mix", "rollout"])
        let volumeNode = try root.required("monthly_requests")
        let volume = try volumeNode.double()
        guard volume > 0 else { throw volumeNode.failure("must be > 0") }
        let inputTokens = try root.optional("avg_input_tokens")?.nonNegativeDouble()
        let outputTokens = try root.optional("avg_output_tokens")?.nonNegativeDouble()
        var costs: [(String, Double)] = [], fleets: [String: Double] = [:]
        for (name, entry) in try root.required("models").mapping() {
            try entry.onlyKeys(["per_call_usd", "input_per_mtok", "output_per_mtok", "self_hosted"])
            if let hosting = try entry.optional("self_hosted") {
                if let price = try ["per_call_usd", "input_per_mtok", "output_per_mtok"].compactMap({ try entry.optional($0) }).first {
                    throw price.failure("a self-hosted model is paid by its GPUs' hours: give self_hosted or prices, not both")
                }
                try hosting.onlyKeys(["gpu_usd_per_hour", "gpus_per_replica", "replicas"])
                let gpus = try hosting.optional("gpus_per_replica")?.int() ?? 1
                let replicasNode = try hosting.required("replicas")
                let replicas = try replicasNode.int()
                guard replicas >= 1, gpus >= 1 else { throw replicasNode.failure("replicas and gpus_per_replica must be whole numbers >= 1") }
                fleets[name] = Double(replicas * gpus) * (try hosting.required("gpu_usd_per_hour").dollars()) * Self.hoursPerMonth
                costs.append((name, 0))
                continue
            }
            var cost = try entry.optional("per_call_usd")?.nonNegativeDouble() ?? 0
            for (key, tokens, field) in [("input_per_mtok", inputTokens, "avg_input_tokens"), ("output_per_mtok", outputTokens, "avg_output_tokens")] {
                guard let priceNode = try entry.optional(key) else { continue }
                guard let tokens else { throw priceNode.failure("prices per token need \(field) at the top of the scenario") }
                cost += try priceNode.nonNegativeDouble() * tokens / 1e6
            }
            guard try entry.optional("per_call_usd") != nil || entry.optional("input_per_mtok") != nil || entry.optional("output_per_mtok") != nil else {
                throw entry.failure("needs a price: per_call_usd, or input_per_mtok/output_per_mtok")
            }
            costs.append((name, cost))
        }
        let known = Set(costs.map(\.0))
        let baselineNode = try root.required("baseline")
        let baseline = try baselineNode.string()
        guard known.contains(baseline) else { throw baselineNode.failure("model '\(baseline)' is not under models:") }
        let mixNode = try root.required("mix")
        var mix: [(String, Double)] = []
        for (name, share) in try mixNode.mapping() {
            guard known.contains(name) else { throw share.failure("model '\(name)' is not under models:") }
            mix.append((name, try share.unitInterval()))
        }
        let total = mix.reduce(0) { $0 + $1.1 }
        guard abs(total - 1) < 1e-9 else { throw mixNode.failure("shares must sum to 1, they sum to \(total)") }
        let rollout = try root.optional("rollout")?.sequence().map { try $0.unitInterval() } ?? []
        var scenario = ROIScenario(monthlyRequests: volume, baseline: baseline,
                                   engineeringCostUSD: try root.optional("engineering_cost_usd")?.nonNegativeDouble(),
                                   callCost: costs, mix: mix, rollout: rollout)
        scenario.fleetMonthlyUSD = fleets
        return scenario
    }

    /// A month is 30 days, as everywhere in routesim's monthly figures.
    public static let hoursPerMonth = 720.0
}

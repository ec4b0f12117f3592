/// A model served from GPUs the team provisions, billed by the hour whatever the traffic
/// (docs/catalog.md, "Self-hosted models"): what a replica costs and how fast it serves, how
/// many replicas may run, how long one takes to start, and the rule that scales them.
public struct SelfHosting: Equatable, Sendable {
    public var gpuUSDPerHour: Double
    public var gpusPerReplica: Int
    /// Input tokens a request's prefill processes per second.
    public var prefillTokensPerSecond: Double
    /// Output tokens a request decodes per second.
    public var decodeTokensPerSecond: Double
    /// Requests one replica serves at once.
    public var batch: Int
    public var minReplicas: Int
    public var maxReplicas: Int
    /// Seconds from starting a replica to its first request (loading the model).
    public var coldStartSeconds: Double
    public var autoscale: Autoscale
    /// What the same model costs per million input and output tokens from an API provider, for
    /// the traffic at which self-hosting breaks even (docs/capacity.md); nil when not given.
    public var apiAlternative: APIPrice?

    /// Per-token prices of an API serving the same model.
    public struct APIPrice: Equatable, Sendable {
        public var inputPerMTok: Double
        public var outputPerMTok: Double
    }

    /// When the fleet grows and shrinks, evaluated every `everySeconds`.
    public struct Autoscale: Equatable, Sendable {
        public enum Target: Equatable, Sendable {
            /// Keep busy slots (and waiting requests) at this share of the running replicas' slots.
            case utilisation(Double)
            /// Add replicas while more than this many requests wait per running replica.
            case queueLength(Double)
        }

        public var target: Target
        public var everySeconds: Double
        /// A replica idle this long is removed (down to `minReplicas`).
        public var scaleDownAfterSeconds: Double

        public init(target: Target, everySeconds: Double, scaleDownAfterSeconds: Double) {
            self.target = target
            self.everySeconds = everySeconds
            self.scaleDownAfterSeconds = scaleDownAfterSeconds
        }
    }

    public init(gpuUSDPerHour: Double, gpusPerReplica: Int = 1, prefillTokensPerSecond: Double, decodeTokensPerSecond: Double,
                batch: Int = 1, minReplicas: Int = 0, maxReplicas: Int, coldStartSeconds: Double = 0, autoscale: Autoscale) {
        self.gpuUSDPerHour = gpuUSDPerHour
        self.gpusPerReplica = gpusPerReplica
        self.prefillTokensPerSecond = prefillTokensPerSecond
        self.decodeTokensPerSecond = decodeTokensPerSecond
        self.batch = batch
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.coldStartSeconds = coldStartSeconds
        self.autoscale = autoscale
    }

    /// Seconds one request occupies a slot: its prefill, then its decode.
    public func serviceSeconds(inputTokens: Int, outputTokens: Int) -> Double {
        Double(inputTokens) / prefillTokensPerSecond + Double(outputTokens) / decodeTokensPerSecond
    }

    /// What one replica costs an hour.
    public var replicaUSDPerHour: Double { gpuUSDPerHour * Double(gpusPerReplica) }
}

extension SelfHosting {
    /// Reads a catalog entry's `self_hosted:` mapping, naming the field of every problem.
    package static func parse(_ node: YAMLNode) throws -> SelfHosting {
        try node.onlyKeys(["gpu_usd_per_hour", "gpus_per_replica", "prefill_tokens_per_s", "decode_tokens_per_s", "batch",
                           "min_replicas", "max_replicas", "cold_start_s", "autoscale", "api_alternative"])
        /// A throughput: at least a token a second, or one call would hold its slot for years and
        /// the fleet be looked at every few seconds of them.
        func throughput(_ key: String) throws -> Double {
            let field = try node.required(key)
            let value = try field.double()
            guard value >= 1, value.isFinite else { throw field.failure("must be at least 1 (tokens a second)") }
            return value
        }
        func count(_ key: String, default value: Int, least: Int, most: Int? = nil) throws -> Int {
            guard let field = try node.optional(key) else { return value }
            let number = try field.int()
            if let most, !(least...most).contains(number) {
                throw field.failure("must be a whole number from \(least) to \(Format.grouped(Double(most)))")
            }
            guard number >= least else { throw field.failure("must be a whole number >= \(least)") }
            return number
        }
        let price = try node.required("gpu_usd_per_hour")
        let gpuUSDPerHour = try price.dollars()
        let minReplicas = try count("min_replicas", default: 0, least: 0)
        let maxNode = try node.required("max_replicas")
        let maxReplicas = try maxNode.int()
        guard maxReplicas >= max(1, minReplicas), maxReplicas <= 100_000 else {
            throw maxNode.failure("must be at least 1, at least min_replicas (\(minReplicas)) and at most 100,000")
        }
        var cold = 0.0
        if let field = try node.optional("cold_start_s") {
            // A day is beyond any model's load onto a GPU, and keeps a warm-up's end within the fleet's clock.
            cold = try field.double()
            guard (0...86_400).contains(cold) else { throw field.failure("must be from 0 to 86,400 seconds (a day)") }
        }
        let scaling = try node.required("autoscale")
        try scaling.onlyKeys(["target_utilisation", "queue_length", "every_s", "scale_down_after_s"])
        let target: Autoscale.Target
        switch (try scaling.optional("target_utilisation"), try scaling.optional("queue_length")) {
        case let (utilisation?, nil):
            let share = try utilisation.double()
            guard share > 0, share <= 1 else { throw utilisation.failure("must be a share in (0, 1]") }
            target = .utilisation(share)
        case let (nil, queue?):
            let length = try queue.double()
            guard length > 0 else { throw queue.failure("must be > 0") }
            target = .queueLength(length)
        default:
            throw scaling.failure("needs one rule: target_utilisation (a share of the replicas' slots) or queue_length (waiting requests per replica)")
        }
        let every = try scaling.required("every_s")
        let everySeconds = try every.double()
        // Looks closer than a second apart model no autoscaler, and looks closer than a log's
        // timestamps can tell apart (a few tenths of a microsecond today) would never move on.
        guard everySeconds >= 1, everySeconds.isFinite else { throw every.failure("must be at least 1 (seconds between the autoscaler's looks)") }
        let down = try scaling.optional("scale_down_after_s")?.nonNegativeDouble() ?? 300
        var api: APIPrice?
        if let alternative = try node.optional("api_alternative") {
            try alternative.onlyKeys(["input_per_mtok", "output_per_mtok"])
            api = APIPrice(inputPerMTok: try alternative.required("input_per_mtok").dollars(),
                           outputPerMTok: try alternative.required("output_per_mtok").dollars())
        }
        var hosting = SelfHosting(
            gpuUSDPerHour: gpuUSDPerHour, gpusPerReplica: try count("gpus_per_replica", default: 1, least: 1),
            prefillTokensPerSecond: try throughput("prefill_tokens_per_s"), decodeTokensPerSecond: try throughput("decode_tokens_per_s"),
            // A million calls at once is beyond any replica, and keeps slots × replicas far from overflowing.
            batch: try count("batch", default: 1, least: 1, most: 1_000_000), minReplicas: minReplicas, maxReplicas: maxReplicas,
            coldStartSeconds: cold, autoscale: Autoscale(target: target, everySeconds: everySeconds, scaleDownAfterSeconds: down))
        hosting.apiAlternative = api
        return hosting
    }

    /// What a call would cost on the API alternative; nil without one.
    public func apiCost(inputTokens: Int, outputTokens: Int) -> Double? {
        apiAlternative.map { (Double(inputTokens) * $0.inputPerMTok + Double(outputTokens) * $0.outputPerMTok) / 1e6 }
    }
}

import Foundation

/// The models a run knows, in file order; a model's position is its index everywhere in the replay.
public struct ModelCatalog: Sendable {
    public let models: [ModelSpec]
    public let file: String
    private let indexByName: [String: Int]

    /// What a human review of one flagged request costs, when the catalog says (`review: {cost_usd: …}`):
    /// added to a policy's cost for each request it flags.
    public var reviewCostUSD: Double?

    public init(models: [ModelSpec], file: String = "<catalog>") {
        self.models = models
        self.file = file
        self.indexByName = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1.name, $0) })
    }

    public var count: Int { models.count }

    public func index(of name: String) -> Int? { indexByName[name] }

    /// Reads a catalog file (docs/catalog.md); `pricesPath` (or the file's `prices:` key, relative to it)
    /// is a LiteLLM price table for entries that say `price_from:`.
    public static func load(path: String, pricesPath: String? = nil) throws -> ModelCatalog {
        try parse(TextFile.read(path), file: path, pricesPath: pricesPath)
    }

    package static func parse(_ text: String, file: String, pricesPath: String? = nil) throws -> ModelCatalog {
        let root = try YAMLNode.document(of: text, file: file)
        try root.onlyKeys(["models", "prices", "review"])
        var tablePath = pricesPath
        if tablePath == nil, let node = try root.optional("prices") {
            let relative = try node.string()
            tablePath = relative.hasPrefix("/") ? relative : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(relative).path
        }
        var table: LiteLLMPrices?
        var models: [ModelSpec] = []
        for (name, entry) in try root.required("models").mapping() {
            if let problem = YAMLNode.nameProblem(name) { throw entry.failure("the model name \(problem)") }
            try entry.onlyKeys(["tier", "input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "per_call_usd", "price_from", "service_tier",
                               "cache_write_input_per_mtok", "reasoning_output_per_mtok"])
            var spec = ModelSpec(name: name, tier: try entry.required("tier").int())
            if let source = try entry.optional("price_from") {
                guard let tablePath else { throw source.failure("needs a LiteLLM price table: give --prices FILE or a top-level prices: key") }
                if table == nil { table = try LiteLLMPrices.load(path: tablePath) }
                let tierNode = try entry.optional("service_tier")
                let tier = try tierNode?.string()
                if let tier, !["batches", "priority", "flex"].contains(tier) {
                    throw tierNode!.failure("must be batches, priority or flex")
                }
                if let problem = table!.price(&spec, from: try source.string(), tier: tier) { throw source.failure(problem) }
            }
            // Explicit prices override the table's.
            let fromTable = (cacheWrite: spec.cacheWriteInputPerMTok, reasoning: spec.reasoningOutputPerMTok)
            spec = ModelSpec(
                name: name, tier: spec.tier,
                inputPerMTok: try entry.optional("input_per_mtok")?.dollars() ?? spec.inputPerMTok,
                outputPerMTok: try entry.optional("output_per_mtok")?.dollars() ?? spec.outputPerMTok,
                cachedInputPerMTok: try entry.optional("cached_input_per_mtok")?.dollars() ?? spec.cachedInputPerMTok,
                perCallUSD: try entry.optional("per_call_usd")?.dollars() ?? spec.perCallUSD,
                longContext: spec.longContext)
            spec.cacheWriteInputPerMTok = try entry.optional("cache_write_input_per_mtok")?.dollars() ?? fromTable.cacheWrite
            spec.reasoningOutputPerMTok = try entry.optional("reasoning_output_per_mtok")?.dollars() ?? fromTable.reasoning
            models.append(spec)
        }
        guard !models.isEmpty else {
            throw RouteSimError.invalidInput(file: file, line: root.line, field: "models", reason: "must list at least one model")
        }
        var catalog = ModelCatalog(models: models, file: file)
        if let review = try root.optional("review") {
            try review.onlyKeys(["cost_usd"])
            catalog.reviewCostUSD = try review.required("cost_usd").dollars()
        }
        return catalog
    }
}

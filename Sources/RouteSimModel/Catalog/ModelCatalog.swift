import Foundation

/// The models a run knows, in file order; a model's position is its index everywhere in the replay.
public struct ModelCatalog: Sendable {
    public let models: [ModelSpec]
    public let file: String
    private let indexByName: [String: Int]

    /// What a human review of one flagged request costs, when the catalog says (`review: {cost_usd: …}`):
    /// added to a policy's cost for each request it flags.
    public var reviewCostUSD: Double?
    /// The LiteLLM price table entries took prices from (`price_from:`), when any did.
    public var priceTable: String?
    /// With `--reprice-at`: the one time every call is priced at, recorded costs set aside.
    public private(set) var repricedAt: Double?

    public init(models: [ModelSpec], file: String = "<catalog>") {
        self.models = models
        self.file = file
        self.indexByName = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1.name, $0) })
    }

    public var count: Int { models.count }

    /// This catalog with every model at the prices in force at `time`, for pricing a whole log at
    /// one date; the replay then sets recorded costs aside for every model it can price.
    public func repriced(at time: Double) -> ModelCatalog {
        var catalog = ModelCatalog(models: models.map { $0.inForce(at: time) }, file: file)
        catalog.reviewCostUSD = reviewCostUSD
        catalog.priceTable = priceTable
        catalog.repricedAt = time
        return catalog
    }

    /// Refuses a catalog with self-hosted models for a command that cannot price their fleets
    /// (`simulate` and `compare` run them; docs/capacity.md), rather than pricing their calls at $0.
    public func requireNoSelfHosting(_ command: FleetlessCommand) throws {
        guard let model = models.first(where: { $0.selfHosted != nil }) else { return }
        throw RouteSimError.usage("\(command.rawValue) cannot price '\(model.name)', self-hosted in \(file): \(command.why) (docs/capacity.md)")
    }

    /// The commands that refuse self-hosted models, and why (docs/capacity.md, "Which commands").
    public enum FleetlessCommand: String, Sendable {
        case sweep, offpolicy

        var why: String {
            switch self {
            case .sweep:
                return "a fleet's cost depends on all the calls a setting sends it, so each setting would need its own fleet run; "
                    + "write the settings you want to compare as policies and run simulate, which prices their fleets"
            case .offpolicy:
                return "its estimates weight each logged request on its own, and a fleet's cost is not any one request's; "
                    + "replay the policies with simulate, which prices their fleets"
            }
        }
    }

    /// The models whose prices change over time.
    public var datedModels: [ModelSpec] { models.filter { !$0.datedPrices.isEmpty } }

    public func index(of name: String) -> Int? { indexByName[name] }

    /// The log names this catalog matched other than exactly, during a run.
    public let nameLog = ModelNameLog()

    /// The entry a model name read from a log stands for (docs/catalog.md, "Names in logs"):
    /// its name, an alias, or the name without provider prefix and version suffixes.
    public func match(_ name: String) -> ModelNameMatch {
        if let index = indexByName[name] { return .exact(index) }
        let result = resolve(name)
        nameLog.note(name, result)
        return result
    }

    /// The entry of a log name, or nil; ambiguous names count as none (`match` says why).
    public func index(matching name: String) -> Int? {
        switch match(name) {
        case let .exact(index), let .matched(index, _): return index
        case .ambiguous, .none: return nil
        }
    }

    /// Why a log name has no entry, for a reader's message.
    public func noMatchReason(_ name: String) -> String {
        if case let .ambiguous(indices) = match(name) {
            let names = indices.map { models[$0].name }.joined(separator: ", ")
            return "model '\(name)' could be any of \(names) in the catalog \(file) (without its provider prefix and version it names several): add it to one entry's aliases"
        }
        return "model '\(name)' is not in the catalog \(file) (add it there with its prices, or as an alias of an entry, or remove it from the log)"
    }

    private func resolve(_ name: String) -> ModelNameMatch {
        for (index, model) in models.enumerated() where model.aliases.contains(name) { return .matched(index, rule: "alias") }
        for (index, model) in models.enumerated() where model.aliases.contains(where: { ModelNameMatch.matches(name, pattern: $0) }) {
            return .matched(index, rule: "alias pattern")
        }
        let bare = ModelNameMatch.normalised(name)
        var found: [Int] = []
        for (index, model) in models.enumerated()
        where ModelNameMatch.normalised(model.name) == bare || model.aliases.contains(where: { ModelNameMatch.normalised($0) == bare }) {
            found.append(index)
        }
        if found.count == 1 { return .matched(found[0], rule: "without provider prefix and version") }
        return found.isEmpty ? .none : .ambiguous(found)
    }

    /// Reads a catalog file (docs/catalog.md); `pricesPath` (or the file's `prices:` key, relative to it)
    /// is a LiteLLM price table for entries that say `price_from:`.
    public static func load(path: String, pricesPath: String? = nil) throws -> ModelCatalog {
        try parse(TextFile.read(path), file: path, pricesPath: pricesPath)
    }

    /// The keys that price a model, in an entry and in each of its dated periods.
    private static let priceKeys = ["input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "per_call_usd", "price_from", "service_tier",
                                    "cache_write_input_per_mtok", "reasoning_output_per_mtok"]

    package static func parse(_ text: String, file: String, pricesPath: String? = nil) throws -> ModelCatalog {
        let root = try YAMLNode.document(of: text, file: file)
        try root.onlyKeys(["models", "prices", "review"])
        var tablePath = pricesPath
        if tablePath == nil, let node = try root.optional("prices") {
            let relative = try node.string()
            // Joined as text, so that reports show the path as the user gave it, wherever they run.
            let folder = (file as NSString).deletingLastPathComponent
            tablePath = relative.hasPrefix("/") || folder.isEmpty ? relative : folder + "/" + relative
        }
        var table: LiteLLMPrices?
        var models: [ModelSpec] = []
        for (name, entry) in try root.required("models").mapping() {
            if let problem = YAMLNode.nameProblem(name) { throw entry.failure("the model name \(problem)") }
            try entry.onlyKeys(Set(["tier", "aliases", "dated_prices", "self_hosted"] + Self.priceKeys))
            /// Prices from the table (`price_from:`) with the explicit ones over them, onto `spec`.
            func price(_ spec: inout ModelSpec, from node: YAMLNode) throws {
                if let source = try node.optional("price_from") {
                    guard let tablePath else { throw source.failure("needs a LiteLLM price table: give --prices FILE or a top-level prices: key") }
                    if table == nil { table = try LiteLLMPrices.load(path: tablePath) }
                    let tierNode = try node.optional("service_tier")
                    let tier = try tierNode?.string()
                    if let tier, !["batches", "priority", "flex"].contains(tier) {
                        throw tierNode!.failure("must be batches, priority or flex")
                    }
                    if let problem = table!.price(&spec, from: try source.string(), tier: tier) { throw source.failure(problem) }
                }
                // Explicit prices override the table's.
                spec.inputPerMTok = try node.optional("input_per_mtok")?.dollars() ?? spec.inputPerMTok
                spec.outputPerMTok = try node.optional("output_per_mtok")?.dollars() ?? spec.outputPerMTok
                spec.cachedInputPerMTok = try node.optional("cached_input_per_mtok")?.dollars() ?? spec.cachedInputPerMTok
                spec.perCallUSD = try node.optional("per_call_usd")?.dollars() ?? spec.perCallUSD
                spec.cacheWriteInputPerMTok = try node.optional("cache_write_input_per_mtok")?.dollars() ?? spec.cacheWriteInputPerMTok
                spec.reasoningOutputPerMTok = try node.optional("reasoning_output_per_mtok")?.dollars() ?? spec.reasoningOutputPerMTok
            }
            var spec = ModelSpec(name: name, tier: try entry.required("tier").int())
            if let hosting = try entry.optional("self_hosted") {
                if let api = try (Self.priceKeys + ["dated_prices"]).compactMap({ try entry.optional($0) }).first {
                    throw api.failure("a self-hosted model is paid by its GPUs' hours, not per call or token: give its prices under self_hosted, or remove self_hosted")
                }
                spec.selfHosted = try SelfHosting.parse(hosting)
            }
            try price(&spec, from: entry)
            if let list = try entry.optional("dated_prices") {
                var current = spec
                for period in try list.sequence() {
                    try period.onlyKeys(Set(["from"] + Self.priceKeys))
                    let fromNode = try period.required("from")
                    let text = try fromNode.string()
                    guard let from = parseDateOrTime(text) else {
                        throw fromNode.failure("must be a date (2024-08-06, meaning 00:00 UTC) or an RFC 3339 time, got '\(text)'")
                    }
                    if let last = spec.datedPrices.last, from <= last.from {
                        throw fromNode.failure("must come after the period before it (dated prices are listed oldest first)")
                    }
                    try price(&current, from: period)
                    guard current.isPriced else { throw period.failure("gives no price") }
                    spec.datedPrices.append(DatedPrice(from: from, prices: current))
                }
            }
            if let aliasesNode = try entry.optional("aliases") {
                for aliasNode in try aliasesNode.sequence() {
                    let alias = try aliasNode.name()
                    if let owner = models.first(where: { $0.name == alias || $0.aliases.contains(alias) }) ?? (alias == name ? spec : nil) {
                        throw aliasNode.failure("'\(alias)' already names \(owner.name): a name may stand for one model only")
                    }
                    spec.aliases.append(alias)
                }
            }
            models.append(spec)
        }
        guard !models.isEmpty else {
            throw RouteSimError.invalidInput(file: file, line: root.line, field: "models", reason: "must list at least one model")
        }
        for model in models {
            for alias in model.aliases where models.contains(where: { $0.name == alias }) {
                throw RouteSimError.invalidInput(file: file, line: root.line, field: "models.\(model.name).aliases",
                                                 reason: "'\(alias)' is the name of another entry: a name may stand for one model only")
            }
        }
        var catalog = ModelCatalog(models: models, file: file)
        if table != nil { catalog.priceTable = tablePath }
        if let review = try root.optional("review") {
            try review.onlyKeys(["cost_usd"])
            catalog.reviewCostUSD = try review.required("cost_usd").dollars()
        }
        return catalog
    }
}

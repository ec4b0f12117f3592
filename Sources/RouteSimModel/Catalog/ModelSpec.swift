/// One model of the catalog: its escalation tier and its prices (docs/catalog.md).
public struct ModelSpec: Equatable, Sendable {
    public var name: String
    public var tier: Int
    public var inputPerMTok: Double?
    public var outputPerMTok: Double?
    public var cachedInputPerMTok: Double?
    public var perCallUSD: Double?
    /// Prompt-cache writes and reasoning output; they default to the input and output prices.
    public var cacheWriteInputPerMTok: Double?
    public var reasoningOutputPerMTok: Double?
    /// Prices for requests whose input exceeds a threshold (LiteLLM's `*_above_Nk_tokens`), ascending.
    public var longContext: [LongContextPrice] = []
    /// Other names logs give this model: exact, or patterns where `*` stands for any run of characters.
    public var aliases: [String] = []
    /// Prices that took effect on later dates, ascending (`dated_prices:`); each call is priced at
    /// the prices in force at its time (`inForce(at:)`).
    public var datedPrices: [DatedPrice] = []
    /// For a model served from the team's own GPUs: its fleet (docs/capacity.md). Its calls cost
    /// nothing each; the replicas cost by the hour.
    public var selfHosted: SelfHosting?

    /// Above `aboveInputTokens` input tokens, every token of the request is billed at these prices.
    public struct LongContextPrice: Equatable, Sendable {
        public var aboveInputTokens: Int
        public var inputPerMTok: Double
        public var outputPerMTok: Double?
        public var cachedInputPerMTok: Double?
    }

    public init(name: String, tier: Int, inputPerMTok: Double? = nil, outputPerMTok: Double? = nil,
                cachedInputPerMTok: Double? = nil, perCallUSD: Double? = nil, longContext: [LongContextPrice] = []) {
        self.name = name
        self.tier = tier
        self.inputPerMTok = inputPerMTok
        self.outputPerMTok = outputPerMTok
        self.cachedInputPerMTok = cachedInputPerMTok
        self.perCallUSD = perCallUSD
        self.longContext = longContext
    }

    /// Whether the catalog gives any price for this model.
    public var isPriced: Bool {
        selfHosted != nil || inputPerMTok != nil || outputPerMTok != nil || cachedInputPerMTok != nil || perCallUSD != nil
    }
}

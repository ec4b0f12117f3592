/// One model of the catalog: its escalation tier and its prices (SPEC §2.3).
public struct ModelSpec: Equatable, Sendable {
    public var name: String
    public var tier: Int
    public var inputPerMTok: Double?
    public var outputPerMTok: Double?
    public var cachedInputPerMTok: Double?
    public var perCallUSD: Double?

    public init(name: String, tier: Int, inputPerMTok: Double? = nil, outputPerMTok: Double? = nil,
                cachedInputPerMTok: Double? = nil, perCallUSD: Double? = nil) {
        self.name = name
        self.tier = tier
        self.inputPerMTok = inputPerMTok
        self.outputPerMTok = outputPerMTok
        self.cachedInputPerMTok = cachedInputPerMTok
        self.perCallUSD = perCallUSD
    }

    /// Whether the catalog gives any price for this model.
    public var isPriced: Bool {
        inputPerMTok != nil || outputPerMTok != nil || cachedInputPerMTok != nil || perCallUSD != nil
    }
}

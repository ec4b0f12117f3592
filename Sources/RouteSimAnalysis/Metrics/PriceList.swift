import RouteSimModel

/// Which prices a replay used, for the report and `summary.json` (docs/catalog.md, "Prices that
/// change"): the catalog, the LiteLLM table it took prices from, the models whose prices change
/// and when, and the one date every call was repriced at, if any.
public struct PriceList: Sendable {
    public var catalog: String
    public var litellmTable: String?
    /// Each model with dated prices, and the dates its prices changed on.
    public var dated: [(model: String, from: [Double])]
    public var repricedAt: Double?

    public init(_ catalog: ModelCatalog) {
        self.catalog = catalog.file
        litellmTable = catalog.priceTable
        dated = catalog.datedModels.map { ($0.name, $0.datedPrices.map(\.from)) }
        repricedAt = catalog.repricedAt
    }
}

/// The largest values routesim accepts (docs/log-formats.md, "Limits"): larger ones are unit
/// mistakes, and would overflow the exact 128-bit sums of the replay. `RecordRules` applies them
/// to every record; catalogs and policies to prices and overheads.
package enum Limits {
    package static let maxTokens = 1e12
    package static let maxLatencyMs = 1e10
    package static let maxCallCostUSD = 1e6
    /// The largest whole number a double holds exactly (2^53): readers refuse larger counts as
    /// they parse, before `RecordRules` applies `maxTokens`.
    package static let maxExactWhole = 9_007_199_254_740_992.0
}

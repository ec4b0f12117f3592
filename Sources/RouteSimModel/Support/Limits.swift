import CRecordParser

/// The largest values routesim accepts (docs/log-formats.md, "Limits"): larger ones are unit
/// mistakes, and would overflow the exact 128-bit sums of the replay. The record parser holds
/// the same numbers (`RP_MAX_*`).
package enum Limits {
    package static let maxTokens = Double(RP_MAX_TOKENS)
    package static let maxLatencyMs = RP_MAX_LATENCY_MS
    package static let maxCallCostUSD = RP_MAX_CALL_COST_USD
}

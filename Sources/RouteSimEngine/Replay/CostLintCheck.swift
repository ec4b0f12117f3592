import RouteSimModel

/// The cost checks of one accepted record's calls (docs/metrics.md, "Cost checks"): a call
/// priced from its tokens that read no input or answered with no output, a recorded cost the
/// catalog's price disagrees with beyond `tolerance`, a call of a model the catalog cannot
/// price; and each call's counts for the per-model sameness check.
package struct CostLintCheck {
    let catalog: ModelCatalog
    /// How far apart a recorded cost and the catalog's price may be, as a share of the larger.
    let tolerance: Double

    package func check(_ record: Record, file: String, line: Int, into findings: inout [(CostLint.Kind, RecordProblem)],
                       sameness: inout [CostLint.Sameness]) {
        // `prefix` is built only for a finding: a step's is formatted text, and most calls have none.
        func calls(_ outcomes: [Outcome?], input: Int, cached: Int, written: Int, output: Int?, prefix: () -> String) {
            for (index, outcome) in outcomes.enumerated() {
                guard let outcome else { continue }
                var name: String { catalog.models[index].name }
                let own = outcome.input
                let tokensIn = own?.tokens ?? input, tokensOut = outcome.outputTokens ?? output
                sameness[index].add(input: tokensIn, output: tokensOut ?? -1, file: file, line: line)
                func find(_ kind: CostLint.Kind, _ field: String, _ reason: String) {
                    findings.append((kind, RecordProblem(file: file, line: line, field: field, reason: reason, raw: "")))
                }
                guard let recorded = outcome.costUSD else {
                    if tokensIn == 0 {
                        find(.zeroTokenCalls, own == nil ? prefix() + "input_tokens" : "\(prefix())outcomes.\(name).input_tokens",
                             "is 0 for a call of '\(name)' priced from its tokens: it is priced as if it read nothing")
                    } else if outcome.success, tokensOut == 0 {
                        find(.zeroTokenCalls, outcome.outputTokens == nil ? prefix() + "output_tokens" : "\(prefix())outcomes.\(name).output_tokens",
                             "is 0 for a successful call of '\(name)': an answer without output tokens is priced as free output")
                    }
                    continue
                }
                let spec = catalog.models[index].inForce(at: record.timestamp)
                guard spec.isPriced else {
                    find(.unpricedCalls, "\(prefix())outcomes.\(name).cost_usd",
                         "'\(name)' has no price in \(catalog.file): this call is priced only by its recorded cost, and a policy sending other requests to it cannot be priced")
                    continue
                }
                // A failure that billed nothing is not a price to compare, nor is any call when the
                // whole log is repriced at one date (recorded costs are then set aside).
                guard outcome.success || recorded > 0, catalog.repricedAt == nil,
                      let priced = try? spec.callCost(recordedCost: nil, inputTokens: tokensIn, cachedInputTokens: own?.cached ?? cached,
                                                      outputTokens: tokensOut, cacheWriteInputTokens: own?.cacheWrite ?? written,
                                                      reasoningTokens: outcome.reasoningTokens) else { continue }
                let gap = abs(recorded - priced)
                if gap > 1e-12, gap > tolerance * max(recorded, priced) {
                    find(.costMismatches, "\(prefix())outcomes.\(name).cost_usd",
                         "records $\(Self.dollars(recorded)), but \(catalog.file) prices this call at $\(Self.dollars(priced)) (\(Self.percent(gap / max(recorded, priced))) apart, more than the \(Self.percent(tolerance)) tolerance): an old price, a discount or a wrong count?")
                }
            }
        }
        calls(record.outcomes, input: record.inputTokens, cached: record.cachedInputTokens, written: record.cacheWriteInputTokens,
              output: record.outputTokens, prefix: { "" })
        for position in record.steps.indices {
            calls(record.steps[position].outcomes, input: record.steps[position].inputTokens, cached: record.steps[position].cachedInputTokens,
                  written: 0, output: record.steps[position].outputTokens, prefix: { "steps[\(position)]." })
        }
    }

    private static func dollars(_ value: Double) -> String { String(format: "%.6g", value) }
    private static func percent(_ share: Double) -> String { String(format: "%.3g%%", share * 100) }
}

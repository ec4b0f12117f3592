import RouteSimEngine
import RouteSimModel
import RouteSimStatistics

/// For a log with steps: how well each model does each step, and which steps really need the
/// most expensive one (docs/metrics.md, "The complexity matrix").
public struct ComplexityMatrix: Sendable {
    /// One model on one step, over the requests whose log records it there (first rounds).
    public struct Cell: Sendable, Equatable {
        public var model: String
        public var outcomes: Int
        public var successRate: Double
        public var successCI95: ClosedRange<Double>?
        public var costPerCallUSD: Double
        public var latencyP95: Double?
        /// The lower end of the success interval reaches the step's target.
        public var meetsTarget: Bool
    }

    public struct Row: Sendable {
        public var step: String
        public var cells: [Cell]
        /// The step's success target (the SLO file's `step_success`, else its `success`).
        public var target: Double?
        /// The cheapest model (by cost per call on this step) that meets the target.
        public var cheapestMeeting: String?
        /// The model the baseline policy answers this step with most often.
        public var baselineModel: String?
        /// What moving the step from the baseline's models to `cheapestMeeting` saves a month.
        public var monthlySavingUSD: Double?
        /// Only the most expensive tier meets the target, or no model does.
        public var needsTopTier: Bool
        /// What the log measured (the tier of `cheapestMeeting` among the step's models: lowest =
        /// low, top or none = high, between = medium)
        /// and what a pipeline declared, when one did.
        public var measured: DeclaredComplexity.Level?
        public var declared: DeclaredComplexity.Level?
        public var disagrees: Bool { declared != nil && measured != nil && declared != measured }
    }

    public var rows: [Row]

    package init(totals: ReplayTotals, policies: [Policy], metrics: [PolicyMetrics], baseline: String?, slo: SLOSpec?,
                 monthlyVolume: Double?, catalog: ModelCatalog) {
        let unit = ExactSum.dollars().unitsPerOne
        let baselineMetrics = metrics.first { $0.name == baseline }
        rows = zip(totals.stepNames, totals.stepModels).map { name, counts in
            let target = slo?.stepSuccess[name] ?? slo?.success
            let cells = catalog.models.indices.compactMap { index -> Cell? in
                let count = counts[index]
                guard count.outcomes > 0 else { return nil }
                let interval = WilsonInterval.interval(successes: count.successes, trials: count.outcomes)
                return Cell(model: catalog.models[index].name, outcomes: count.outcomes,
                            successRate: Double(count.successes) / Double(count.outcomes), successCI95: interval,
                            costPerCallUSD: Double(count.costUnits) / unit / Double(count.outcomes),
                            latencyP95: count.latency.quantile(0.95),
                            meetsTarget: target.map { (interval?.lowerBound ?? 0) >= $0 } ?? false)
            }
            let cheapest = cells.filter(\.meetsTarget).min { $0.costPerCallUSD < $1.costPerCallUSD }
            let tierOf = { (model: String) in catalog.models[catalog.index(of: model)!].tier }
            // Tiers among the models the log records on this step (the catalog may hold others).
            let tiers = Array(Set(cells.map { tierOf($0.model) })).sorted()
            var measured: DeclaredComplexity.Level?
            if target != nil {
                if let cheapest, tiers.count > 1 {
                    let rank = Double(tiers.firstIndex(of: tierOf(cheapest.model))!) / Double(tiers.count - 1)
                    measured = rank == 0 ? .low : rank < 1 ? .medium : .high
                } else {
                    measured = .high
                }
            }
            let baselineStep = baselineMetrics?.steps.first { $0.step == name }
            let baselineModel = baselineStep?.modelMix.max { $0.share < $1.share }?.model
            var saving: Double?
            if let cheapest, let baselineStep, let monthlyVolume, let policy = baselineMetrics {
                // The baseline's cost of the step per request it ran the step on, against one call of the cheapest.
                let perRun = baselineStep.cpiUSD * Double(policy.requests) / Double(max(baselineStep.requests, 1))
                saving = (perRun - cheapest.costPerCallUSD) * monthlyVolume * Double(baselineStep.requests) / Double(max(policy.requests, 1))
            }
            let declared = policies.lazy.compactMap { policy -> DeclaredComplexity.Level? in
                guard case let .pipeline(pipeline) = policy.kind else { return nil }
                return pipeline.stages.first { $0.step == name }?.complexity?.overall
            }.first
            let top = tiers.last
            return Row(step: name, cells: cells, target: target, cheapestMeeting: cheapest?.model, baselineModel: baselineModel,
                       monthlySavingUSD: saving,
                       needsTopTier: target != nil && (cheapest == nil || tierOf(cheapest!.model) == top),
                       measured: measured, declared: declared)
        }
    }
}

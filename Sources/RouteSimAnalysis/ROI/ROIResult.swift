import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// The arithmetic of an ROI scenario: today's monthly cost, the new design's, and the payback.
public struct ROIResult: Sendable {
    public struct ModelShare: Sendable {
        public var model: String
        public var requests: Double
        public var monthlyUSD: Double
    }

    public var scenario: ROIScenario
    public var baselineMonthlyUSD: Double
    public var monthlyUSD: Double
    public var byModel: [ModelShare]
    public var savingsMonthlyUSD: Double { baselineMonthlyUSD - monthlyUSD }
    public var savingsPct: Double? { baselineMonthlyUSD > 0 ? 100 * savingsMonthlyUSD / baselineMonthlyUSD : nil }
    public var savingsAnnualUSD: Double { savingsMonthlyUSD * 12 }
    /// Engineering cost over monthly savings, with all traffic moved at once.
    public var paybackMonths: Double? {
        guard let cost = scenario.engineeringCostUSD, savingsMonthlyUSD > 0 else { return nil }
        return cost / savingsMonthlyUSD
    }
    /// The month (fractional) cumulative savings cross the investment under the rollout ramp.
    public var paybackMonthsWithRollout: Double? {
        guard let cost = scenario.engineeringCostUSD, !scenario.rollout.isEmpty else { return nil }
        return Payback.months(investment: cost, monthlySavings: savingsMonthlyUSD, rollout: scenario.rollout)
    }
    /// Why payback is null, when it is.
    public var paybackNote: String? {
        if scenario.engineeringCostUSD == nil { return "no engineering_cost_usd in the scenario" }
        if savingsMonthlyUSD <= 0 { return "never: the new design costs as much as or more than \(scenario.baseline)" }
        return nil
    }

    public init(_ scenario: ROIScenario) {
        self.scenario = scenario
        let cost = Dictionary(uniqueKeysWithValues: scenario.callCost.map { ($0.model, $0.usd) })
        // A self-hosted model's fleet costs its month whatever its traffic, once it takes any.
        baselineMonthlyUSD = scenario.monthlyRequests * cost[scenario.baseline]! + (scenario.fleetMonthlyUSD[scenario.baseline] ?? 0)
        byModel = scenario.mix.map { model, share in
            ModelShare(model: model, requests: scenario.monthlyRequests * share,
                       monthlyUSD: scenario.monthlyRequests * share * cost[model]! + (share > 0 ? scenario.fleetMonthlyUSD[model] ?? 0 : 0))
        }
        monthlyUSD = byModel.reduce(0) { $0 + $1.monthlyUSD }
    }
}

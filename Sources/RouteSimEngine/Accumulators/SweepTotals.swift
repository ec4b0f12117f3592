import RouteSimModel
import RouteSimStatistics
/// Mergeable totals of a sweep: per setting, the cost, successes and calls to each model, kept
/// as difference arrays so that a run of settings deciding alike is added in O(1).
public struct SweepTotals: Sendable, Codable {
    private var costDiff: [Int128]
    private var successDiff: [Int]
    /// `modelCount` entries per setting boundary: calls to each catalog model.
    private var callDiff: [Int]
    private let modelCount: Int
    private let unit = ExactSum.dollars()

    public init(settings: Int, modelCount: Int) {
        costDiff = Array(repeating: 0, count: settings + 1)
        successDiff = Array(repeating: 0, count: settings + 1)
        callDiff = Array(repeating: 0, count: (settings + 1) * modelCount)
        self.modelCount = modelCount
    }

    /// Adds a decision taken at every setting of `range`, whose calls `plan` gives.
    package mutating func add(_ range: Range<Int>, _ decision: Decision, plan: CallPlan) {
        let cost = unit.units(of: decision.costUSD)
        costDiff[range.lowerBound] += cost
        costDiff[range.upperBound] -= cost
        if decision.success {
            successDiff[range.lowerBound] += 1
            successDiff[range.upperBound] -= 1
        }
        plan.forEach(decision) { model in
            callDiff[range.lowerBound * modelCount + model] += 1
            callDiff[range.upperBound * modelCount + model] -= 1
        }
    }

    public mutating func merge(_ other: SweepTotals) {
        for index in costDiff.indices {
            costDiff[index] += other.costDiff[index]
            successDiff[index] += other.successDiff[index]
        }
        for index in callDiff.indices { callDiff[index] += other.callDiff[index] }
    }

    /// Per setting: total cost (USD), successes and calls to each catalog model.
    public func perSetting() -> [(costUSD: Double, successes: Int, calls: [Int])] {
        var cost: Int128 = 0, successes = 0
        var calls = [Int](repeating: 0, count: modelCount)
        return (0..<(costDiff.count - 1)).map { index in
            cost += costDiff[index]
            successes += successDiff[index]
            for model in 0..<modelCount { calls[model] += callDiff[index * modelCount + model] }
            return (Double(cost) / unit.unitsPerOne, successes, calls)
        }
    }
}

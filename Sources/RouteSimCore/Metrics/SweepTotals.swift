/// Mergeable totals of a sweep: per setting, the cost, successes and strong-model answers,
/// kept as difference arrays so that a run of settings deciding alike is added in O(1).
public struct SweepTotals: Sendable {
    private var costDiff: [Int128]
    private var successDiff: [Int]
    private var strongDiff: [Int]
    private let unit = ExactSum.dollars()

    public init(settings: Int) {
        costDiff = Array(repeating: 0, count: settings + 1)
        successDiff = Array(repeating: 0, count: settings + 1)
        strongDiff = successDiff
    }

    mutating func add(_ range: Range<Int>, _ decision: Decision, strong: Int?) {
        let cost = unit.units(of: decision.costUSD)
        costDiff[range.lowerBound] += cost
        costDiff[range.upperBound] -= cost
        if decision.success {
            successDiff[range.lowerBound] += 1
            successDiff[range.upperBound] -= 1
        }
        if let strong, decision.answerModel == strong {
            strongDiff[range.lowerBound] += 1
            strongDiff[range.upperBound] -= 1
        }
    }

    public mutating func merge(_ other: SweepTotals) {
        for index in costDiff.indices {
            costDiff[index] += other.costDiff[index]
            successDiff[index] += other.successDiff[index]
            strongDiff[index] += other.strongDiff[index]
        }
    }

    /// Per setting: total cost (USD), successes and answers from the strong model.
    public func perSetting() -> [(costUSD: Double, successes: Int, strongAnswers: Int)] {
        var cost: Int128 = 0, successes = 0, strong = 0
        return (0..<(costDiff.count - 1)).map { index in
            cost += costDiff[index]
            successes += successDiff[index]
            strong += strongDiff[index]
            return (Double(cost) / unit.unitsPerOne, successes, strong)
        }
    }
}

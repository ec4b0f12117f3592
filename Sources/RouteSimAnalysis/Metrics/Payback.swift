import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// When savings pay back an investment, optionally with a rollout ramp.
public enum Payback {
    /// Savings accumulated by the end of each month 0…`months` under the rollout ramp.
    public static func cumulative(monthlySavings: Double, rollout: [Double], months: Int) -> [Double] {
        var total = 0.0
        return [0] + (1...max(1, months)).map { month in
            total += monthlySavings * (rollout.isEmpty ? 1 : rollout[min(month, rollout.count) - 1])
            return total
        }
    }

    /// Months until cumulative savings reach `investment`, when month k (1-based) saves
    /// `monthlySavings × rollout[k − 1]` (the last share holds from then on; no ramp means full
    /// savings from the first month). Within the crossing month savings accrue evenly, so the
    /// answer is fractional. Nil when savings never reach it.
    public static func months(investment: Double, monthlySavings: Double, rollout: [Double] = []) -> Double? {
        guard monthlySavings > 0 else { return investment <= 0 ? 0 : nil }
        guard investment > 0 else { return 0 }
        var saved = 0.0
        for (month, share) in rollout.enumerated() {
            let gain = monthlySavings * share
            if saved + gain >= investment { return Double(month) + (investment - saved) / gain }
            saved += gain
        }
        let steady = monthlySavings * (rollout.last ?? 1)
        guard steady > 0 else { return nil }
        return Double(rollout.count) + (investment - saved) / steady
    }
}

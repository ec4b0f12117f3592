/// When savings pay back an investment, optionally with a rollout ramp.
public enum Payback {
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

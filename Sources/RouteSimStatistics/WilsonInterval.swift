import CGSL

/// The Wilson score interval for a binomial proportion, with z from GSL's normal quantile.
public enum WilsonInterval {
    /// The two-sided interval at `level` for `successes` out of `trials`; nil when there are no trials.
    public static func interval(successes: Int, trials: Int, level: Double = 0.95) -> ClosedRange<Double>? {
        guard trials > 0 else { return nil }
        let z = gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2)
        let n = Double(trials), p = Double(successes) / n
        let denominator = 1 + z * z / n
        let center = (p + z * z / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        // At 0 or n successes the bound is exactly 0 or 1; rounding would leave a speck.
        let lower = successes == 0 ? 0 : max(0, center - half)
        let upper = successes == trials ? 1 : min(1, center + half)
        return lower...upper
    }
}

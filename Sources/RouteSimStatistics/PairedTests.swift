import CGSL
import Foundation

/// Tests on paired successes: the same requests answered by a baseline and a candidate.
/// `lost` counts requests the baseline got right and the candidate wrong; `won` the reverse.
public enum PairedTests {
    /// McNemar's two-sided p-value for "the two succeed equally often": exact binomial when there
    /// are fewer than 25 discordant pairs, else chi-square with continuity correction.
    public static func mcnemar(lost: Int, won: Int) -> Double {
        let discordant = lost + won
        guard discordant > 0 else { return 1 }
        if discordant < 25 {
            let tail = gsl_cdf_binomial_P(UInt32(min(lost, won)), 0.5, UInt32(discordant))
            return min(1, 2 * tail)
        }
        let statistic = pow(Double(abs(lost - won)) - 1, 2) / Double(discordant)
        return gsl_cdf_chisq_Q(statistic, 1)
    }

    /// One-sided p-value for "the candidate's success rate is lower by at most `margin`" over
    /// `requests` paired requests. With no margin it is McNemar's exact one-sided binomial test
    /// (P[X ≥ lost], X ~ Bin(lost + won, ½)); with a margin, the Wald test of the paired difference
    /// (d − margin)/se with se² = ((lost + won) − (lost − won)²/n) / n².
    public static func dropAtMost(_ margin: Double, lost: Int, won: Int, requests: Int) -> Double {
        let discordant = lost + won
        guard discordant > 0, requests > 0 else { return 1 }
        if margin == 0 {
            return lost == 0 ? 1 : gsl_cdf_binomial_Q(UInt32(lost - 1), 0.5, UInt32(discordant))
        }
        let n = Double(requests)
        let drop = Double(lost - won) / n
        let variance = (Double(discordant) - pow(Double(lost - won), 2) / n) / (n * n)
        guard variance > 0 else { return drop > margin ? 0 : 1 }
        return gsl_cdf_ugaussian_Q((drop - margin) / variance.squareRoot())
    }

    /// The 95% Wald interval of the paired difference in success rate (candidate − baseline),
    /// se² = ((lost + won) − (won − lost)²/n) / n².
    public static func differenceInterval(lost: Int, won: Int, requests: Int) -> ClosedRange<Double> {
        guard requests > 0 else { return 0...0 }
        let n = Double(requests)
        let difference = Double(won - lost) / n
        let se = max(0, (Double(lost + won) - pow(Double(won - lost), 2) / n) / (n * n)).squareRoot()
        let z = gsl_cdf_ugaussian_Pinv(0.975)
        return (difference - z * se)...(difference + z * se)
    }

    /// One-sided p-value for "the candidate's success rate is lower by `margin` or more": small
    /// when the data show the drop is under the margin (non-inferiority). Agresti and Min's
    /// adjusted Wald test — half a request added to each cell of the paired table, so that a few
    /// requests with no disagreement do not look like proof — of (d − margin)/se, with d the drop.
    public static func dropUnderShown(_ margin: Double, lost: Int, won: Int, requests: Int) -> Double {
        guard requests > 0 else { return 1 }
        let lost = Double(lost) + 0.5, won = Double(won) + 0.5, n = Double(requests) + 2
        let drop = (lost - won) / n
        let se = max(0, ((lost + won) - pow(lost - won, 2) / n) / (n * n)).squareRoot()
        return gsl_cdf_ugaussian_P((drop - margin) / se)
    }
}

import CGSL

/// Exact quantiles of a sample by linear interpolation between order statistics, as GSL's
/// `gsl_stats_quantile_from_sorted_data` defines them, found with GSL's O(n) selection
/// (`gsl_stats_select`) instead of a full sort.
public struct Quantiles {
    private var values: [Double]

    public init(_ values: [Double]) {
        self.values = values
    }

    /// The `fraction` quantile (0…1); nil for an empty sample.
    public mutating func value(at fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let index = fraction * Double(values.count - 1)
        let lower = Int(index.rounded(.down))
        let delta = index - Double(lower)
        return values.withUnsafeMutableBufferPointer { buffer in
            let low = gsl_stats_select(buffer.baseAddress, 1, buffer.count, lower)
            guard delta > 0, lower + 1 < buffer.count else { return low }
            let high = gsl_stats_select(buffer.baseAddress, 1, buffer.count, lower + 1)
            return (1 - delta) * low + delta * high
        }
    }
}

import CGSL

/// Exact quantiles of a sample by linear interpolation between order statistics, as GSL's
/// `gsl_stats_quantile_from_sorted_data` defines them, found with GSL's O(n) selection
/// (`gsl_stats_select`) instead of a full sort, and the order statistic after it by one pass.
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
            // The next order statistic without a second selection: `low` again when more than
            // lower + 1 values are at most `low`, else the least value above it (one pass).
            var atMost = 0, above = Double.infinity
            for value in buffer {
                atMost += value <= low ? 1 : 0
                if value > low, value < above { above = value }
            }
            let high = atMost > lower + 1 ? low : above
            return (1 - delta) * low + delta * high
        }
    }
}

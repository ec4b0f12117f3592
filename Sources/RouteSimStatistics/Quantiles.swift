import CGSL

/// Exact quantiles of a sample by linear interpolation between order statistics, as GSL's
/// `gsl_stats_quantile_from_sorted_data` defines them, found with GSL's O(n) selection
/// (`gsl_stats_select`) instead of a full sort.
///
/// After each selection one pass puts the values below the one selected first, then those equal
/// to it, then those above (finding the least of those above, the next order statistic, on the
/// way). A later, higher quantile is then selected among the equal and higher values alone: the
/// p50, p95 and p99 of a policy's latencies take about half the work of three selections over
/// all of them (docs/statistics.md). A lower quantile falls back to the whole sample.
public struct Quantiles {
    private var values: [Double]
    /// The positions from here on hold exactly the order statistics from here on: every value
    /// before them is at most their least.
    private var start = 0

    public init(_ values: [Double]) {
        self.values = values
    }

    /// The `fraction` quantile (0…1); nil for an empty sample.
    public mutating func value(at fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let index = fraction * Double(values.count - 1)
        let lower = Int(index.rounded(.down))
        let delta = index - Double(lower)
        if lower < start { start = 0 }
        let start = start
        let (low, equalFrom, above) = values.withUnsafeMutableBufferPointer { buffer in
            let (base, count) = (buffer.baseAddress! + start, buffer.count - start)
            let low = gsl_stats_select(base, 1, count, lower - start)
            // Below `low` first, then equal to it, then above it (the least of these kept).
            var below = 0, equalEnd = 0, above = Double.infinity
            for position in 0..<count {
                let value = base[position]
                if value < low {
                    base[position] = base[equalEnd]
                    base[equalEnd] = base[below]
                    base[below] = value
                    below += 1
                    equalEnd += 1
                } else if value == low {
                    base[position] = base[equalEnd]
                    base[equalEnd] = value
                    equalEnd += 1
                } else if value < above {
                    above = value
                }
            }
            return (low, start + below, (start + equalEnd, above))
        }
        self.start = equalFrom
        guard delta > 0, lower + 1 < values.count else { return low }
        let high = lower + 1 < above.0 ? low : above.1
        return (1 - delta) * low + delta * high
    }
}

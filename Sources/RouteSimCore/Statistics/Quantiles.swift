import CGSL

/// Exact quantiles of a sample, by GSL's linear interpolation between order statistics.
public struct Quantiles {
    private var sorted: [Double]

    public init(_ values: [Double]) {
        sorted = values.sorted()
    }

    public var isEmpty: Bool { sorted.isEmpty }

    /// The `fraction` quantile (0…1); nil for an empty sample.
    public func value(at fraction: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, fraction) }
    }
}

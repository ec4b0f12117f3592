import CGSL

/// A seeded, mergeable bootstrap. Requests are spread over `groupCount` groups by a hash of
/// their id; accumulators keep exact sums per group (so shards and threads merge exactly), and
/// each replicate redraws the groups with replacement (a multinomial draw from GSL's Mersenne
/// Twister). Every statistic uses the same replicates, so differences between policies are paired.
public struct GroupBootstrap: Sendable {
    public static let groupCount = 1024
    public let replicates: Int
    public let seed: UInt
    /// `weights[b * groupCount + g]`: how often replicate b drew group g.
    private let weights: [UInt32]

    /// The group of a request, from the 64-bit hash of its id. The hash is mixed first (murmur3's
    /// 64-bit finaliser): FNV-1a's top bits hardly change between ids that differ in the last
    /// characters, such as sequential ones.
    public static func group(ofHash hash: UInt64) -> Int {
        var mixed = hash
        mixed ^= mixed >> 33
        mixed &*= 0xff51_afd7_ed55_8ccd
        mixed ^= mixed >> 33
        mixed &*= 0xc4ce_b9fe_1a85_ec53
        mixed ^= mixed >> 33
        return Int(mixed >> 54)
    }

    public init(replicates: Int = 2000, seed: UInt) {
        self.replicates = replicates
        self.seed = seed
        let random = RandomSource(seed: seed)
        var weights = [UInt32](repeating: 0, count: replicates * Self.groupCount)
        let uniform = [Double](repeating: 1, count: Self.groupCount)
        weights.withUnsafeMutableBufferPointer { buffer in
            for replicate in 0..<replicates {
                random.multinomial(trials: Self.groupCount, probabilities: uniform,
                                   into: buffer.baseAddress! + replicate * Self.groupCount)
            }
        }
        self.weights = weights
    }

    /// Σ w·numerator / Σ w·denominator for every replicate (nil where the denominator is 0).
    public func ratios(_ numerator: [Double], _ denominator: [Double]) -> [Double?] {
        weights.withUnsafeBufferPointer { weights in
            (0..<replicates).map { replicate in
                var top = 0.0, bottom = 0.0
                let row = weights.baseAddress! + replicate * Self.groupCount
                for group in 0..<Self.groupCount where row[group] > 0 {
                    top += Double(row[group]) * numerator[group]
                    bottom += Double(row[group]) * denominator[group]
                }
                return bottom == 0 ? nil : top / bottom
            }
        }
    }

    /// The central `level` percentile interval of replicate values; nil when too few are defined.
    /// Infinite values are allowed and sort last (a payback that never comes).
    public static func percentileInterval(_ values: [Double?], level: Double = 0.95) -> ClosedRange<Double>? {
        let defined = values.compactMap { $0 }
        guard defined.count >= values.count / 2, defined.count > 1 else { return nil }
        var quantiles = Quantiles(defined.map { $0.isNaN ? .infinity : $0 })
        guard let low = quantiles.value(at: (1 - level) / 2), let high = quantiles.value(at: 1 - (1 - level) / 2) else { return nil }
        // Interpolating between equal values can round one ulp apart, in either direction.
        return min(low, high)...max(low, high)
    }
}

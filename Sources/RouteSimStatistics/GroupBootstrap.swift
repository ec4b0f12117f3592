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
    package let weights: [UInt32]

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

    public static let defaultReplicates = 2000

    public init(replicates: Int = defaultReplicates, seed: UInt) {
        self.replicates = replicates
        self.seed = seed
        let random = RandomSource(seed: seed)
        var weights = [UInt32](repeating: 0, count: replicates * Self.groupCount)
        weights.withUnsafeMutableBufferPointer { buffer in
            for replicate in 0..<replicates {
                let row = replicate * Self.groupCount
                for _ in 0..<Self.groupCount { buffer[row + random.index(below: Self.groupCount)] += 1 }
            }
        }
        self.weights = weights
    }

    /// Σ w·column for every replicate: the weighted total of a per-group column. Four replicates
    /// are summed side by side, each still in group order (so each total is the same to the bit):
    /// one at a time, every addition waited for the one before (docs/performance.md).
    public func sums(_ column: [Double]) -> [Double] {
        var totals = [Double](repeating: 0, count: replicates)
        weights.withUnsafeBufferPointer { weights in
            column.withUnsafeBufferPointer { column in
                var replicate = 0
                while replicate + 4 <= replicates {
                    let rows = weights.baseAddress! + replicate * Self.groupCount
                    var sums = (0.0, 0.0, 0.0, 0.0)
                    for group in 0..<Self.groupCount {
                        let value = column[group]
                        sums.0 += Double(rows[group]) * value
                        sums.1 += Double(rows[Self.groupCount + group]) * value
                        sums.2 += Double(rows[2 * Self.groupCount + group]) * value
                        sums.3 += Double(rows[3 * Self.groupCount + group]) * value
                    }
                    (totals[replicate], totals[replicate + 1], totals[replicate + 2], totals[replicate + 3]) = sums
                    replicate += 4
                }
                for last in replicate..<replicates {
                    let row = weights.baseAddress! + last * Self.groupCount
                    for group in 0..<Self.groupCount { totals[last] += Double(row[group]) * column[group] }
                }
            }
        }
        return totals
    }

    /// Σ w·numerator / Σ w·denominator for every replicate (nil where the denominator is 0).
    public func ratios(_ numerator: [Double], _ denominator: [Double]) -> [Double?] {
        Self.ratios(sums(numerator), sums(denominator))
    }

    /// Replicate by replicate, top / bottom (nil where bottom is 0).
    public static func ratios(_ top: [Double], _ bottom: [Double]) -> [Double?] {
        zip(top, bottom).map { $1 == 0 ? nil : $0 / $1 }
    }

    /// The central `level` percentile interval of replicate values; nil when too few are defined.
    /// Infinite values are allowed and sort last (a payback that never comes).
    public static func percentileInterval(_ values: [Double], level: Double = 0.95) -> ClosedRange<Double>? {
        percentileInterval(values.map(Optional.some), level: level)
    }

    public static func percentileInterval(_ values: [Double?], level: Double = 0.95) -> ClosedRange<Double>? {
        let defined = values.compactMap { $0 }
        guard defined.count >= values.count / 2, defined.count > 1 else { return nil }
        guard let bounds = Quantiles(defined.map { $0.isNaN ? .infinity : $0 }).values(at: [(1 - level) / 2, 1 - (1 - level) / 2]) else { return nil }
        let (low, high) = (bounds[0], bounds[1])
        // Interpolating between equal values can round one ulp apart, in either direction.
        return min(low, high)...max(low, high)
    }
}

import CGSL

/// Exact quantiles of a sample by linear interpolation between order statistics, as GSL's
/// `gsl_stats_quantile_from_sorted_data` defines them, without sorting the sample.
///
/// The order statistics are found by GSL's selection (`gsl_stats_select`). A large sample is
/// narrowed first (docs/statistics.md, "Exact percentiles"): one pass counts the values by the
/// leading 16 bits of their order-preserving bit pattern (65,536 ranges in value order), which
/// says which range holds each rank wanted; a second pass gathers the values of those ranges
/// alone, and the selection runs within them. The p50, p95 and p99 of a million latencies are
/// then two passes over them and three selections over a few thousand, where three selections
/// over the whole sample each moved most of it. Zero is returned as +0, whichever sign the
/// sample's zero had.
public struct Quantiles {
    private let values: [Double]

    /// Samples up to this size are selected in directly: the 65,536 counts would cost more.
    static let narrowedFrom = 8192

    public init(_ values: [Double]) {
        self.values = values
    }

    /// The quantiles at `fractions` (each 0…1), found together; nil for an empty sample.
    public func values(at fractions: [Double]) -> [Double]? {
        guard !values.isEmpty else { return nil }
        let count = values.count
        // Each fraction's rank and, when it falls between two, the next one.
        let places = fractions.map { fraction -> (lower: Int, delta: Double) in
            let index = fraction * Double(count - 1)
            let lower = Int(index.rounded(.down))
            return (lower, index - Double(lower))
        }
        var ranks: [Int] = []
        for place in places {
            ranks.append(place.lower)
            if place.delta > 0, place.lower + 1 < count { ranks.append(place.lower + 1) }
        }
        let statistics = Dictionary(zip(ranks, orderStatistics(ranks)), uniquingKeysWith: { first, _ in first })
        return places.map { place in
            let low = statistics[place.lower]!
            guard place.delta > 0, place.lower + 1 < count else { return low }
            return (1 - place.delta) * low + place.delta * statistics[place.lower + 1]!
        }
    }

    /// The value of each rank (0-based, in value order), zero as +0.
    private func orderStatistics(_ ranks: [Int]) -> [Double] {
        guard values.count > Self.narrowedFrom, ranks.count <= 64 else {
            var copy = values
            return ranks.map { rank in copy.withUnsafeMutableBufferPointer { gsl_stats_select($0.baseAddress, 1, $0.count, rank) } + 0 }
        }
        // Whole-width counts: with self-hosted models every latency is kept, however many.
        var counts = [Int](repeating: 0, count: 1 << 16)
        counts.withUnsafeMutableBufferPointer { counts in
            for value in values { counts[Self.range(of: value)] += 1 }
        }
        // Which range holds each rank (its slot among the ranges wanted), and the rank within it.
        var slot = [Int8](repeating: -1, count: 1 << 16)
        var wanted: [Int] = []
        let located = ranks.map { rank -> (slot: Int, offset: Int) in
            var (range, first) = (0, 0)
            while first + counts[range] <= rank {
                first += counts[range]
                range += 1
            }
            if slot[range] < 0 {
                slot[range] = Int8(wanted.count)
                wanted.append(range)
            }
            return (Int(slot[range]), rank - first)
        }
        var gathered = wanted.map { range in
            var values: [Double] = []
            values.reserveCapacity(counts[range])
            return values
        }
        slot.withUnsafeBufferPointer { slot in
            for value in values {
                let place = slot[Self.range(of: value)]
                if place >= 0 { gathered[Int(place)].append(value) }
            }
        }
        return located.map { place in
            gathered[place.slot].withUnsafeMutableBufferPointer { gsl_stats_select($0.baseAddress, 1, $0.count, place.offset) } + 0
        }
    }

    /// The range of `value`: the leading 16 bits of a pattern whose unsigned order is the
    /// values' order (a positive value's sign bit set, a negative value's bits all flipped; zero
    /// of either sign the same).
    @inline(__always)
    private static func range(of value: Double) -> Int {
        let bits = value == 0 ? 0 : value.bitPattern
        let ordered = bits >> 63 == 0 ? bits | (1 << 63) : ~bits
        return Int(truncatingIfNeeded: ordered >> 48)
    }
}

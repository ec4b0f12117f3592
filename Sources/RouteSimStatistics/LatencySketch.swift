import Foundation

/// A mergeable histogram of latencies whose buckets grow by 1% (docs/statistics.md, "Latency
/// sketches"): a quantile it reports is within 0.5% of the latency of that rank, and it holds a
/// few kilobytes whatever the number of latencies. Used where keeping every latency would make
/// memory grow with the log times the number of steps.
public struct LatencySketch: Sendable, Equatable, Codable {
    /// Bucket i > 0 holds latencies in (floor·γ^(i−1), floor·γ^i]; bucket 0 those ≤ `floor`.
    static let gamma = 1.01
    static let floor = 0.01
    private static let logGamma = log(gamma)

    /// `counts[i - low]` is the count of bucket i.
    private var counts: [Int] = []
    private var low = 0
    public private(set) var count = 0

    public init() {}

    package static func bucket(of latency: Double) -> Int {
        if latency <= floor { return 0 }
        // The ceiling of a positive number by conversion: `rounded(.up)` calls the C library's
        // `ceil` on this project's target, for every step latency of a workflow log.
        let position = log(latency / floor) / logGamma, whole = Int(position)
        return Double(whole) < position ? whole + 1 : whole
    }

    public mutating func add(_ latency: Double) {
        add(bucket: Self.bucket(of: latency), count: 1)
    }

    private mutating func add(bucket: Int, count added: Int) {
        if counts.isEmpty {
            low = bucket
            counts = [0]
        } else if bucket < low {
            counts.insert(contentsOf: repeatElement(0, count: low - bucket), at: 0)
            low = bucket
        } else if bucket >= low + counts.count {
            counts.append(contentsOf: repeatElement(0, count: bucket - low - counts.count + 1))
        }
        counts[bucket - low] += added
        count += added
    }

    public mutating func merge(_ other: LatencySketch) {
        for (offset, added) in other.counts.enumerated() where added > 0 { add(bucket: other.low + offset, count: added) }
    }

    /// The latency at quantile `q` (0…1): the middle of the bucket holding the latency of rank
    /// ⌊q·(n−1)⌋ (0-based); nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Int((q * Double(count - 1)).rounded(.down))
        var seen = 0
        for (offset, inBucket) in counts.enumerated() {
            seen += inBucket
            if seen > rank { return Self.middle(of: low + offset) }
        }
        return Self.middle(of: low + counts.count - 1)
    }

    /// The value every latency in bucket i is within (γ−1)/(γ+1) of, relatively.
    private static func middle(of bucket: Int) -> Double {
        bucket == 0 ? floor / 2 : floor * pow(gamma, Double(bucket)) * 2 / (gamma + 1)
    }
}

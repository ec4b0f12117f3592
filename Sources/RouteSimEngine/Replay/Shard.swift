import CZlib
import RouteSimModel

/// One of `count` shards of a log partitioned by request id (docs/partials.md, "Shards"): a
/// record belongs to shard CRC-32(id as UTF-8) mod `count`, numbered from 0. Every copy of an id
/// lands in one shard, so duplicates are found there as on one machine; Spark's own `crc32`
/// function computes the same CRC-32.
public struct Shard: Codable, Equatable, Sendable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// The shard of `count` that the record with `id` belongs to.
    public static func of(id: String, count: Int) -> Int {
        var id = id
        let crc = id.withUTF8 { bytes in crc32(0, bytes.baseAddress, UInt32(bytes.count)) }
        return Int(crc % UInt(count))
    }

    /// Reads `I/N` (0 ≤ I < N), as `--shard` takes it.
    public static func parse(_ text: String) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count > 0, (0..<count).contains(index) else {
            throw RouteSimError.usage("a shard is I/N with 0 <= I < N, such as 0/4 for the first of four shards")
        }
        return Shard(index: index, count: count)
    }

    /// `index/count`, as `--shard` takes it.
    public var description: String { "\(index)/\(count)" }
}

/// Names kept as one run of UTF-8 bytes and found by their bytes — the length, then one `memcmp` —
/// with no `String` made and no array's reference count touched per lookup: the decoder matches
/// model names and feature keys with it on every record (docs/performance.md).
final class NameTable {
    private let bytes: UnsafeMutableRawBufferPointer
    /// `ends[i]`: where name i ends in `bytes`; it starts where name i − 1 ends.
    private let ends: UnsafeMutableBufferPointer<Int>
    private let count: Int

    init(_ names: [String]) {
        let utf8 = names.flatMap(\.utf8)
        bytes = .allocate(byteCount: max(utf8.count, 1), alignment: 1)
        bytes.copyBytes(from: utf8)
        ends = .allocate(capacity: max(names.count, 1))
        var end = 0
        for (index, name) in names.enumerated() {
            end += name.utf8.count
            ends[index] = end
        }
        count = names.count
    }

    deinit {
        bytes.deallocate()
        ends.deallocate()
    }

    /// The index of the name whose bytes are `text`'s, if one is.
    @inline(__always)
    func index(of text: UnsafeRawBufferPointer) -> Int? {
        var start = 0
        for index in 0..<count {
            let end = ends[index]
            if UnsafeRawBufferPointer(rebasing: bytes[start..<end]).sameBytes(as: text) { return index }
            start = end
        }
        return nil
    }
}

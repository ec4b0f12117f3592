/// Names kept as one run of UTF-8 bytes and found by their bytes — the length, then one `memcmp` —
/// with no `String` made and no array's reference count touched per lookup: the decoder matches
/// model names, feature keys, and the step and model names it learns, with it on every record
/// (docs/performance.md).
final class NameTable {
    // Only the table's own methods touch these, one at a time: no access needs checking at run time.
    @exclusivity(unchecked) private var bytes: UnsafeMutableRawBufferPointer
    /// `ends[i]`: where name i ends in `bytes`; it starts where name i − 1 ends.
    @exclusivity(unchecked) private var ends: UnsafeMutableBufferPointer<Int>
    @exclusivity(unchecked) private(set) var count = 0

    init(_ names: [String] = []) {
        bytes = .allocate(byteCount: 64, alignment: 1)
        ends = .allocate(capacity: 8)
        for name in names { Array(name.utf8).withUnsafeBytes { append($0) } }
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

    /// Adds a name; its index is the count before.
    func append(_ name: UnsafeRawBufferPointer) {
        let start = count == 0 ? 0 : ends[count - 1]
        if start + name.count > bytes.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * (start + name.count), alignment: 1)
            larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[..<start]))
            bytes.deallocate()
            bytes = larger
        }
        if count == ends.count {
            let larger = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2 * count)
            _ = larger.initialize(from: ends)
            ends.deallocate()
            ends = larger
        }
        UnsafeMutableRawBufferPointer(rebasing: bytes[start..<(start + name.count)]).copyMemory(from: name)
        ends[count] = start + name.count
        count += 1
    }
}

import Foundation

extension UnsafeRawBufferPointer {
    /// Whether `other` holds the same bytes: the lengths first, then the bytes. Up to 16 bytes
    /// (model names, categories, feature keys) are compared as two overlapping words read in
    /// place, without a call; longer runs by one `memcmp` (a generic `elementsEqual` walks both a
    /// byte at a time). The readers match names and lines with it on every record
    /// (docs/performance.md).
    @inline(__always)
    package func sameBytes(as other: UnsafeRawBufferPointer) -> Bool {
        let count = self.count
        guard count == other.count else { return false }
        guard count > 0 else { return true }
        let (left, right) = (baseAddress!, other.baseAddress!)
        /// The words of `T` at the start and at the end of both runs (they overlap when short).
        func ends<T: FixedWidthInteger>(_: T.Type) -> Bool {
            let last = count - MemoryLayout<T>.size
            return left.loadUnaligned(as: T.self) == right.loadUnaligned(as: T.self)
                && left.loadUnaligned(fromByteOffset: last, as: T.self) == right.loadUnaligned(fromByteOffset: last, as: T.self)
        }
        switch count {
        case 8...16: return ends(UInt64.self)
        case 4..<8: return ends(UInt32.self)
        case 2..<4: return ends(UInt16.self)
        case 1: return left.load(as: UInt8.self) == right.load(as: UInt8.self)
        default: return memcmp(left, right, count) == 0
        }
    }
}

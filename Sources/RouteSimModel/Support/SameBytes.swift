import Foundation

extension UnsafeRawBufferPointer {
    /// Whether `other` holds the same bytes: the lengths first, then one `memcmp` (a generic
    /// `elementsEqual` walks both a byte at a time). The readers match names and lines with it on
    /// every record (docs/performance.md).
    @inline(__always)
    package func sameBytes(as other: UnsafeRawBufferPointer) -> Bool {
        count == other.count && (count == 0 || memcmp(baseAddress!, other.baseAddress!, count) == 0)
    }
}

/// The characters routesim keeps out of names and paths and blanks out of report text: C0
/// controls (newline, tab, escape…) and DEL (docs/log-formats.md, "Names").
extension Unicode.Scalar {
    package var isControlCharacter: Bool { value < 0x20 || value == 0x7F }
}

extension StringProtocol {
    /// Read as UTF-8 bytes: control characters are single bytes there, never part of another
    /// character's encoding (and the bytes are much faster to scan than scalars, once per record).
    package var hasControlCharacters: Bool {
        func control(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }
        return utf8.withContiguousStorageIfAvailable { $0.contains(where: control) } ?? utf8.contains(where: control)
    }
}

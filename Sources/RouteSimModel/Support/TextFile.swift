import Foundation

/// Reads small whole text files (catalogs, policies, scenarios) with a readable error. A UTF-8
/// byte-order mark at the start is dropped (YAML allows one); bytes that are not UTF-8 are
/// refused with the line they are on. Read through `InputSnapshot`, which keeps them for partials.
package enum TextFile {
    package static func read(_ path: String) throws -> String {
        var bytes = [UInt8](try InputSnapshot.contents(of: path))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = Self.firstInvalidUTF8(bytes) ?? 0
            let line = 1 + bytes[..<offset].filter { $0 == 10 }.count
            throw RouteSimError.invalidInput(file: path, line: line, field: "",
                                             reason: "is not UTF-8 text on this line (saved in another encoding, or a binary file?)")
        }
        if text.contains("\u{0}") {
            let line = 1 + bytes.prefix { $0 != 0 }.filter { $0 == 10 }.count
            throw RouteSimError.invalidInput(file: path, line: line, field: "", reason: "holds a NUL byte (a binary file?)")
        }
        return text
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 4)
            let valid = (1...4).first { length in
                offset + length <= end && String(validating: bytes[offset..<(offset + length)], as: UTF8.self) != nil
            }
            guard let valid else { return offset }
            offset += valid
        }
        return nil
    }
}

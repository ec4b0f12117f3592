/// Reads a number written in decimal — `12`, `-0.5`, `.25`, `1e-3` — and nothing else: Swift's
/// `Double(_:)` also takes `0x10` (16), `inf` and `nan`, which no log or config file means.
package enum DecimalText {
    /// The value of `text`, or nil when it is not a finite decimal number.
    package static func double(_ text: some StringProtocol) -> Double? {
        var digits = 0, index = text.utf8.startIndex
        let bytes = text.utf8
        func skipDigits() {
            while index < bytes.endIndex, bytes[index] >= 48, bytes[index] <= 57 {
                digits += 1
                index = bytes.index(after: index)
            }
        }
        if index < bytes.endIndex, bytes[index] == 45 || bytes[index] == 43 { index = bytes.index(after: index) }
        skipDigits()
        if index < bytes.endIndex, bytes[index] == 46 {
            index = bytes.index(after: index)
            skipDigits()
        }
        guard digits > 0 else { return nil }
        if index < bytes.endIndex, bytes[index] == 101 || bytes[index] == 69 {
            index = bytes.index(after: index)
            if index < bytes.endIndex, bytes[index] == 45 || bytes[index] == 43 { index = bytes.index(after: index) }
            digits = 0
            skipDigits()
            guard digits > 0 else { return nil }
        }
        guard index == bytes.endIndex, let value = Double(String(text)), value.isFinite else { return nil }
        return value
    }
}

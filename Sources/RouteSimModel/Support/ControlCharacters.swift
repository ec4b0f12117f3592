/// The characters routesim keeps out of names and paths and blanks out of report text: C0
/// controls (newline, tab, escape…) and DEL (docs/log-formats.md, "Names").
extension Unicode.Scalar {
    package var isControlCharacter: Bool { value < 0x20 || value == 0x7F }
}

extension StringProtocol {
    package var hasControlCharacters: Bool { unicodeScalars.contains(where: \.isControlCharacter) }
}

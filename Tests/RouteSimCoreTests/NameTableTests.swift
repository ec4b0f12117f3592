import Testing
@testable import RouteSimEngine

@Suite("Names found by their bytes")
struct NameTableTests {
    static func index(_ table: NameTable, _ name: String) -> Int? {
        Array(name.utf8).withUnsafeBytes { table.index(of: $0) }
    }

    /// Names given at first and names learned after — more, and longer, than its first room —
    /// are each found at their place; a prefix, an extension and the empty name are not.
    @Test func everyNameIsFoundAtItsPlaceAndNoOther() {
        let table = NameTable(["small", "medium", "large"])
        let learned = (0..<40).map { "step-\($0)-" + String(repeating: "x", count: $0 * 3) }
        for name in learned { Array(name.utf8).withUnsafeBytes { table.append($0) } }
        #expect(table.count == 43)
        #expect(Self.index(table, "small") == 0 && Self.index(table, "large") == 2)
        for (position, name) in learned.enumerated() { #expect(Self.index(table, name) == 3 + position, "\(name)") }
        #expect(Self.index(table, "smal") == nil && Self.index(table, "larger") == nil && Self.index(table, "") == nil)
        #expect(Self.index(NameTable(), "small") == nil)
    }
}

import Testing
@testable import RouteSimEngine

/// The replay's id index answers as a dictionary would (docs/performance.md, "Duplicate ids").
@Suite("The id index agrees with a dictionary")
struct IDIndexTests {
    @Test func firstPlacesAreKeptAndRepeatsFoundThroughResizes() {
        let index = IDIndex(capacity: 4)
        var reference: [UInt64: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        // Random keys, keys 2^32 apart (one home slot under a small table), 0, and repeats of all of them.
        let fresh = (0..<5_000).map { _ in UInt64.random(in: 1...UInt64.max, using: &generator) }
        let clustered = (1...200).map { UInt64($0) << 32 }
        let keys = fresh + clustered + [0] + fresh.prefix(300) + clustered.prefix(50) + [0]
        for (place, key) in keys.enumerated() {
            let expected = reference[key]
            if expected == nil { reference[key] = place }
            #expect(index.insert(key, place) == expected)
        }
        #expect(index.count == reference.count - 1)  // 0 is kept beside the table
    }

    @Test func reservingRoomKeepsWhatIsHeld() {
        let index = IDIndex()
        for key in 1...100 as ClosedRange<UInt64> { _ = index.insert(key, Int(key)) }
        index.reserve(100_000)
        for key in 1...100 as ClosedRange<UInt64> { #expect(index.insert(key, 0) == Int(key)) }
        #expect(index.insert(101, 7) == nil && index.count == 101)
    }
}

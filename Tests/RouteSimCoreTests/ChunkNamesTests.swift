@testable import RouteSimEngine
import Testing

@Suite("A chunk's step names are numbered by name, wherever a record has them")
struct ChunkNamesTests {
    @Test func aNameKeepsItsNumberAtAnyPositionAndAmongEqualTexts() {
        var numbers = ChunkNames(), names: [String] = []
        // The first record: intent, knowledge_retrieval (longer than a String held in two words).
        #expect(numbers.number(of: "intent", at: 0, in: &names) == 0)
        #expect(numbers.number(of: "knowledge_retrieval", at: 1, in: &names) == 1)
        // The next runs them the other way round, then a name that is new.
        #expect(numbers.number(of: "knowledge_retrieval", at: 0, in: &names) == 1)
        #expect(numbers.number(of: "intent", at: 1, in: &names) == 0)
        #expect(numbers.number(of: "café", at: 2, in: &names) == 2)
        // "café" written as e and an accent is the same name, at its last position or another.
        #expect(numbers.number(of: "cafe\u{301}", at: 2, in: &names) == 2)
        #expect(numbers.number(of: "cafe\u{301}", at: 0, in: &names) == 2)
        #expect(numbers.number(of: "intent", at: 2, in: &names) == 0)
        #expect(names == ["intent", "knowledge_retrieval", "café"])
    }

    @Test func theNextChunkStartsAfresh() {
        var numbers = ChunkNames(), names: [String] = []
        _ = numbers.number(of: "intent", at: 0, in: &names)
        _ = numbers.number(of: "knowledge_retrieval", at: 1, in: &names)
        numbers.removeAll()
        names = []
        #expect(numbers.number(of: "knowledge_retrieval", at: 1, in: &names) == 0)
        #expect(numbers.number(of: "generation", at: 0, in: &names) == 1)
        #expect(names == ["knowledge_retrieval", "generation"])
    }
}

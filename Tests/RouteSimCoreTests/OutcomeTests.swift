import Testing
@testable import RouteSimModel

/// An outcome reads and compares as its optionals do, however compactly it is kept (docs/performance.md).
@Suite("Outcomes: optional figures, kept compact")
struct OutcomeTests {
    @Test func figuresReadBackAsGivenAndNilAsNil() {
        var outcome = Outcome(success: true, quality: 0.5, latencyMs: 120, outputTokens: 7, costUSD: 0, confidence: 0.9)
        outcome.reasoningTokens = 3
        outcome.input = InputCounts(tokens: 100, cached: 20)
        #expect(outcome.quality == 0.5 && outcome.latencyMs == 120 && outcome.outputTokens == 7)
        #expect(outcome.costUSD == 0 && outcome.confidence == 0.9 && outcome.reasoningTokens == 3)
        #expect(outcome.input == InputCounts(tokens: 100, cached: 20))
        // A cost of zero is given, not absent.
        #expect(outcome.costUSD != nil && Outcome(success: true).costUSD == nil)
        outcome.input?.cacheWrite = 5
        #expect(outcome.input?.cacheWrite == 5)
    }

    @Test func anOutcomeWhoseFiguresAreTakenAwayEqualsOneThatNeverHadThem() {
        var outcome = Outcome(success: false, quality: 0.25, latencyMs: 80, outputTokens: 9, costUSD: 0.01, confidence: 0.3)
        outcome.reasoningTokens = 2
        outcome.input = InputCounts(tokens: 1)
        #expect(outcome != Outcome(success: false))
        (outcome.quality, outcome.latencyMs, outcome.outputTokens, outcome.costUSD, outcome.confidence) = (nil, nil, nil, nil, nil)
        (outcome.reasoningTokens, outcome.input) = (nil, nil)
        #expect(outcome == Outcome(success: false))
        // Zero given and nothing given differ.
        #expect(Outcome(success: true, latencyMs: 0) != Outcome(success: true))
    }

    @Test func anOutcomeTakesEightyBytes() {
        #expect(MemoryLayout<Outcome>.stride == 80)
    }
}

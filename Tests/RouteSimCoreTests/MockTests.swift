import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("Mocked outcomes (docs/mocks.md)")
struct MockTests {
    static let spec = """
        seed: 42
        models:
          medium:
            success: {default: 0.80, by_category: {faq: 0.97, legal: 0.55}}
            latency_ms: {median: 640, sigma: 0.4}
            output_ratio: 1.5
            confidence: {if_success: [8, 2], if_failure: [3, 5]}
        """

    static func record(_ id: String, category: String? = nil, medium: Outcome? = nil) -> Record {
        var outcomes = [Outcome?](repeating: nil, count: 3)
        outcomes[0] = Outcome(success: true)
        outcomes[1] = medium
        return Record(id: id, inputTokens: 1000, outputTokens: 100, category: category, outcomes: outcomes)
    }

    static func drawer(seed: UInt64 = 42) throws -> MockDrawer {
        MockDrawer(spec: try MockSpec.parse(Self.spec, file: "mock.yaml", catalog: Fixture.catalog), seed: seed)
    }

    @Test func onlyMissingOutcomesAreDrawnAndMarked() throws {
        let drawer = try Self.drawer()
        var recorded = Self.record("r1", medium: Outcome(success: false, latencyMs: 5))
        drawer.fill(&recorded)
        #expect(recorded.outcomes[1] == Outcome(success: false, latencyMs: 5) && !recorded.mocked[1])
        #expect(recorded.outcomes[2] == nil)  // large has no mock: it stays missing
        var missing = Self.record("r1")
        drawer.fill(&missing)
        let drawn = try #require(missing.outcomes[1])
        #expect(missing.mocked[1] && drawn.outputTokens == 150 && drawn.latencyMs != nil && drawn.confidence != nil)
    }

    @Test func drawsDependOnSeedIdAndModelOnly() throws {
        var a = Self.record("same"), b = Self.record("same"), c = Self.record("other")
        try Self.drawer().fill(&a)
        try Self.drawer().fill(&b)   // a new drawer, after other draws elsewhere
        try Self.drawer().fill(&c)
        var d = Self.record("same")
        try Self.drawer(seed: 43).fill(&d)
        #expect(a.outcomes[1] == b.outcomes[1])
        #expect(a.outcomes[1] != c.outcomes[1] && a.outcomes[1] != d.outcomes[1])
    }

    /// 20,000 draws per setting, each compared with its parameter at about 4 standard errors.
    @Test func drawnDistributionsMatchTheirParameters() throws {
        let drawer = try Self.drawer()
        var successes = 0, faqSuccesses = 0, logLatencies: [Double] = [], confidences: [Double] = []
        let n = 20_000
        for index in 0..<n {
            var plain = Self.record("p\(index)")
            drawer.fill(&plain)
            let outcome = plain.outcomes[1]!
            if outcome.success {
                successes += 1
                confidences.append(outcome.confidence!)
            }
            logLatencies.append(log(outcome.latencyMs!))
            var faq = Self.record("f\(index)", category: "faq")
            drawer.fill(&faq)
            if faq.outcomes[1]!.success { faqSuccesses += 1 }
        }
        // success ~ Bernoulli(0.8): se = sqrt(0.8·0.2/n) = 0.0028.
        #expect(abs(Double(successes) / Double(n) - 0.80) < 0.012)
        #expect(abs(Double(faqSuccesses) / Double(n) - 0.97) < 0.006)
        // log latency ~ Normal(log 640, 0.4): se of the mean 0.0028.
        let meanLog = logLatencies.reduce(0, +) / Double(n)
        #expect(abs(meanLog - log(640)) < 0.012)
        // confidence on success ~ Beta(8, 2): mean 0.8, sd 0.12, se ≈ 0.001.
        #expect(abs(confidences.reduce(0, +) / Double(confidences.count) - 0.8) < 0.005)
    }

    @Test func resultsDoNotDependOnThreadsOrChunkingAndMockedCallsAreCounted() throws {
        let fixture = Fixture()
        let text = (0..<400).map { index in
            let medium = index % 2 == 0 ? #","medium":{"success":true,"latency_ms":500}"# : ""
            return #"{"id":"m\#(index)","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":true}\#(medium)}}"#
        }.joined(separator: "\n") + "\n"
        let log = fixture.file("log.jsonl", text)
        let spec = try MockSpec.parse(Self.spec, file: "mock.yaml", catalog: Fixture.catalog)
        func run(threads: Int, chunkSize: Int) throws -> PolicyAccumulator {
            var replay = Replay(catalog: Fixture.catalog, policies: [Policy(name: "m", kind: .single(model: 1))])
            replay.mock = (spec, 42)
            replay.threads = threads
            replay.chunkSize = chunkSize
            return try replay.run(files: [log]).totals.policies[0]
        }
        let one = try run(threads: 1, chunkSize: 1 << 22), many = try run(threads: 3, chunkSize: 3000)
        #expect(one.successes == many.successes && one.cost == many.cost && one.latencies.sorted() == many.latencies.sorted())
        // Half the records recorded medium; the other half were mocked.
        #expect(one.calls == 400 && one.mockedCalls == 200)
    }

    @Test func invalidMockFilesAreRefused() {
        for text in ["models:\n  huge: {success: 0.5}\n", "models:\n  medium: {success: 1.5}\n",
                     "models:\n  medium: {success: 0.5, confidence: {if_success: [1], if_failure: [1, 1]}}\n",
                     "models:\n  medium: {sucess: 0.5}\n"] {
            #expect(throws: RouteSimError.self) { try MockSpec.parse(text, file: "mock.yaml", catalog: Fixture.catalog) }
        }
    }
}

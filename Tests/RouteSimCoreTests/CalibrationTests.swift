import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("calibrate: a mock file from the outcomes a log recorded")
struct CalibrationTests {
    /// scipy.stats.beta.ppf(0.025 / 0.975, 82, 183) for 81 successes of 263 under a uniform prior.
    @Test func posteriorMatchesSciPy() {
        let estimate = Calibration.posterior(81, 263)
        #expect(abs(estimate.mean - 82.0 / 265) < 1e-12)
        #expect(abs(estimate.interval.lowerBound - 0.2553018478822145) < 1e-9)
        #expect(abs(estimate.interval.upperBound - 0.3662905935223741) < 1e-9)
    }

    /// Draw 20,000 outcomes from a known mock, write them as a log, calibrate, and read the mock back.
    @Test func recoversTheParametersOfDataDrawnFromAKnownMock() throws {
        let fixture = Fixture()
        let truth = try MockSpec.parse("""
            models:
              small:
                success: {default: 0.7, by_category: {faq: 0.95}}
                latency_ms: {median: 400, sigma: 0.3}
                output_ratio: 1.2
                confidence: {if_success: [6, 2], if_failure: [2, 4]}
            """, file: "truth.yaml", catalog: Fixture.catalog)
        let drawer = MockDrawer(spec: truth, seed: 7)
        var lines: [String] = []
        for index in 0..<20_000 {
            var record = Record(id: "k\(index)", timestamp: 1_790_812_800, inputTokens: 100, outputTokens: 100,
                                category: index % 2 == 0 ? "faq" : "billing", outcomes: Array(repeating: nil, count: 3))
            drawer.fill(&record)
            record.mocked = Array(repeating: false, count: 3)
            lines.append(CanonicalJSON.line(record, catalog: Fixture.catalog))
        }
        let log = fixture.file("log.jsonl", lines.joined(separator: "\n") + "\n")
        let yaml = try Calibration(inputs: ReplayInputs(logs: [log], catalogPath: fixture.file("models.yaml", Fixture.catalogYAML), policyPaths: [])).run()
        let learned = try #require(try MockSpec.parse(yaml, file: "mock.yaml", catalog: Fixture.catalog).models.first)
        // billing draws use the default 0.7, faq 0.95 (10,000 each: se ≈ 0.005 and 0.002).
        #expect(abs(learned.successByCategory["billing"]! - 0.7) < 0.02 && abs(learned.successByCategory["faq"]! - 0.95) < 0.01)
        #expect(abs(learned.latency!.median / 400 - 1) < 0.02 && abs(learned.latency!.sigma - 0.3) < 0.01)
        #expect(abs(learned.outputRatio - 1.2) < 0.01)
        let confidence = try #require(learned.confidence)
        #expect(abs(confidence.ifSuccess.0 / (confidence.ifSuccess.0 + confidence.ifSuccess.1) - 0.75) < 0.01)
        #expect(abs(confidence.ifFailure.0 / (confidence.ifFailure.0 + confidence.ifFailure.1) - 1.0 / 3) < 0.01)
    }
}

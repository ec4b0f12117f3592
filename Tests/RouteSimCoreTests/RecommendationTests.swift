import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// The report claims only what the data show: a policy is recommended when it is shown to keep
/// quality, and "not enough requests to tell" is said when it is not.
@Suite("The recommendation claims only what was shown")
struct RecommendationTests {
    /// `n` requests; the small model fails on the first `smallFailures`, the large one never.
    static func run(requests n: Int, smallFailures: Int, catalog: String = Fixture.catalogYAML,
                    policies: String = "name: large\nkind: single\nmodel: large\n---\nname: small\nkind: single\nmodel: small\n")
        throws -> (SimulationSummary, String) {
        let fixture = Fixture()
        let log = (0..<n).map { index in
            #"{"id":"r\#(index)","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"router":{"model":"small","confidence":\#(index % 2 == 0 ? 0.99 : 0.85)},"outcomes":{"small":{"success":\#(index >= smallFailures)},"large":{"success":true}}}"#
        }.joined(separator: "\n") + "\n"
        var simulation = Simulation(logs: [fixture.file("log.jsonl", log)], catalogPath: fixture.file("m.yaml", catalog),
                                    policyPaths: [fixture.file("p.yaml", policies)])
        simulation.options.baseline = "large"
        let summary = try Fixture.simulate(simulation, into: fixture.directory + "/out")
        let report = try String(contentsOfFile: fixture.directory + "/out/report.md", encoding: .utf8)
        return (summary, report)
    }

    @Test func tenRequestsWithATenPointDropAreNotEnoughToTell() throws {
        // The case a user met: 70% against 80% success would have read "keeps quality within 0.5 points".
        let (summary, report) = try Self.run(requests: 10, smallFailures: 1)
        let pick = try #require(Recommendation(summary))
        #expect(pick.verdict == .notEnoughData && pick.policy?.name == "small")
        #expect(report.contains("**Not enough requests to tell.**"))
        #expect(!report.contains("shown to keep quality"))
        let json = try JSONSerialization.jsonObject(with: Data(SummaryJSON.render(summary).utf8)) as! [String: Any]
        #expect((json["recommendation"] as? [String: Any])?["verdict"] as? String == "not_enough_data")
    }

    @Test func manyRequestsWithoutADropAreShown() throws {
        let (summary, report) = try Self.run(requests: 20_000, smallFailures: 0)
        let pick = try #require(Recommendation(summary))
        #expect(pick.verdict == .recommended && pick.policy?.name == "small")
        #expect(report.contains("**Recommendation: small.** Of the policies shown to keep quality"))
    }

    @Test func aClearDropIsNeverRecommended() throws {
        let (summary, report) = try Self.run(requests: 2_000, smallFailures: 400)
        #expect(Recommendation(summary)?.verdict == Recommendation.Verdict.none)
        #expect(report.contains("**No policy is recommended.**"))
    }

    @Test func aReviewCostIsPaidForEveryFlaggedRequest() throws {
        let catalog = Fixture.catalogYAML + "\nreview: {cost_usd: 0.5}\n"
        let policies = "name: large\nkind: single\nmodel: large\n---\nname: shadow\nkind: router\nuse_recorded: true\n"
            + "confidence: {use_at_least: 0.95, review_at_least: 0.8, below: large}\n"
        let (summary, report) = try Self.run(requests: 100, smallFailures: 0, catalog: catalog, policies: policies)
        let shadow = try #require(summary.policies.first { $0.name == "shadow" })
        // Half the requests are flagged: $0.002 a call plus $0.5 for each of the 50 reviews, over 100 requests.
        #expect(abs(shadow.cpiUSD - (0.002 + 0.25)) < 1e-12)
        #expect(shadow.reviewRate == 0.5)
        #expect(summary.reviewCostUSD == 0.5)
        #expect(report.contains("No policy is recommended") || report.contains("Not enough"))
    }

    @Test func theNonInferiorityTestMatchesAHandComputation() {
        // 1,000 requests, 3 lost, 1 won: drop d' = (3.5 − 1.5)/1002, se = √(5 − 2²/1002)/1002.
        let d = 2.0 / 1002, se = (5 - 4.0 / 1002).squareRoot() / 1002
        let z = (d - 0.005) / se
        let expected = 0.5 * erfc(-z / 2.0.squareRoot())
        #expect(abs(PairedTests.dropUnderShown(0.005, lost: 3, won: 1, requests: 1000) - expected) < 1e-12)
        let interval = PairedTests.differenceInterval(lost: 3, won: 1, requests: 1000)
        let seWald = (4 - 4.0 / 1000).squareRoot() / 1000
        #expect(abs(interval.lowerBound - (-0.002 - 1.959963984540054 * seWald)) < 1e-12)
    }
}

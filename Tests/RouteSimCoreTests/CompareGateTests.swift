import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// The CI gate on constructed logs. Reference p-values were computed independently with SciPy 1.17:
/// `binomtest(k, n, 0.5)` for exact McNemar, `chi2.sf((|b−c|−1)²/(b+c), 1)`, and
/// `norm.sf((d − margin)/se)` with se² = ((b + c) − (b − c)²/n)/n² for the margin test.
@Suite("compare: a gate that fails on regressions and not on noise")
struct CompareGateTests {
    static let policies = """
        name: large
        kind: single
        model: large
        ---
        name: large-again
        kind: single
        model: large
        ---
        name: small
        kind: single
        model: small
        ---
        name: medium
        kind: single
        model: medium
        """

    /// `n` requests; the candidate (small) loses `lost` requests the baseline (large) answers,
    /// and wins `won` it does not.
    static func log(n: Int, lost: Int, won: Int) -> String {
        (0..<n).map { index in
            let largeOK = index >= lost + won || index < lost
            let smallOK = index >= lost + won || index >= lost
            return #"{"id":"q\#(index)","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"#
                + #""small":{"success":\#(smallOK)},"medium":{"success":true},"large":{"success":\#(largeOK)}}}"#
        }.joined(separator: "\n") + "\n"
    }

    static func compare(_ log: String, baseline: String, candidate: String) throws -> ComparisonResult {
        let fixture = Fixture()
        let comparison = PolicyComparison(
            logs: [fixture.file("log.jsonl", log)], catalogPath: fixture.file("models.yaml", Fixture.catalogYAML),
            policyPaths: [fixture.file("p.yaml", policies)], baseline: baseline, candidate: candidate)
        return try comparison.run()
    }

    @Test func identicalPoliciesPass() throws {
        let result = try Self.compare(Self.log(n: 200, lost: 30, won: 5), baseline: "large", candidate: "large-again")
        #expect(result.passed)
        #expect(result.criteria.map(\.pValue) == [1, 1])
        #expect(result.cpiDiffUSD == 0 && result.successDiff == 0 && result.mcnemarP == 1)
    }

    @Test func aClearlyWorseCandidateFails() throws {
        let result = try Self.compare(Self.log(n: 1000, lost: 120, won: 10), baseline: "large", candidate: "small")
        #expect(!result.passed)
        #expect(result.lost == 120 && result.won == 10)
        let drop = try #require(result.criteria.first { $0.name == "success_drop" })
        #expect(abs(drop.observed - 0.11) < 1e-12)
        // z = (0.11 − 0.005)/se = 9.670131869921908 → p = 2.0192867692789792e-22 (SciPy).
        #expect(abs(drop.pValue - 2.0192867692789792e-22) / 2.0192867692789792e-22 < 1e-6)
        #expect(!drop.passed)
        // Chi-square McNemar for 120 vs 10 discordant pairs is far below any alpha.
        #expect(result.mcnemarP < 1e-20)
        // small is far cheaper, so the cost criterion passes.
        #expect(result.criteria[0].passed && result.cpiIncrease < -0.9)
    }

    @Test func aChanceDifferenceOnASmallSamplePasses() throws {
        let result = try Self.compare(Self.log(n: 40, lost: 2, won: 1), baseline: "large", candidate: "small")
        let drop = try #require(result.criteria.first { $0.name == "success_drop" })
        // 2.5 points observed against a 0.5-point limit, but z = 0.46381682852195877, p = 0.321389492696417.
        #expect(abs(drop.observed - 0.025) < 1e-12)
        #expect(abs(drop.pValue - 0.321389492696417) < 1e-9)
        #expect(drop.passed && result.passed)
        // Exact McNemar for 2 vs 1: binomtest(1, 3, 0.5).pvalue = 1.0.
        #expect(result.mcnemarP == 1)
    }

    @Test func aCostlierCandidateFails() throws {
        let result = try Self.compare(Self.log(n: 300, lost: 0, won: 0), baseline: "medium", candidate: "large")
        let cost = result.criteria[0]
        // large costs 10× medium on every request: every replicate is 900% over, so p = 1/(B + 1).
        #expect(abs(cost.observed - 9) < 1e-9 && !cost.passed && abs(cost.pValue - 1.0 / 2001) < 1e-12)
        #expect(result.criteria[1].passed)
    }

    @Test func mcnemarMatchesSciPy() {
        #expect(abs(PairedTests.mcnemar(lost: 9, won: 2) - 0.0654296875) < 1e-12)           // exact, 11 pairs
        #expect(abs(PairedTests.mcnemar(lost: 40, won: 20) - 0.014171388254012323) < 1e-12)  // chi-square, 60 pairs
        #expect(abs(PairedTests.dropAtMost(0, lost: 9, won: 2, requests: 100) - 0.03271484375) < 1e-12)
        #expect(PairedTests.mcnemar(lost: 0, won: 0) == 1)
    }

    @Test func unknownPolicyNamesAreUsageErrors() {
        #expect(throws: RouteSimError.self) { try Self.compare(Self.log(n: 5, lost: 0, won: 0), baseline: "large", candidate: "tiny") }
    }
}

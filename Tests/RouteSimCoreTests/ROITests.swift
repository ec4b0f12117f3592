import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("roi: what-if arithmetic (docs/commands.md) and payback")
struct ROITests {
    static let scenario = """
        monthly_requests: 1000000
        baseline: large
        engineering_cost_usd: 300000
        avg_input_tokens: 900
        avg_output_tokens: 250
        models:
          small:  {per_call_usd: 0.001}
          medium: {per_call_usd: 0.03}
          large:  {input_per_mtok: 15.0, output_per_mtok: 75.0}
        mix: {small: 0.40, medium: 0.30, large: 0.30}
        rollout: [0.1, 0.5, 1.0]
        """

    @Test func theSpecExampleByHand() throws {
        let roi = ROIResult(try ROIScenario.parse(Self.scenario, file: "s.yaml"))
        // large per call: 900·15/1e6 + 250·75/1e6 = 0.0135 + 0.01875 = 0.03225 → 32,250 a month.
        #expect(abs(roi.baselineMonthlyUSD - 32_250) < 1e-6)
        // 400,000 × 0.001 + 300,000 × 0.03 + 300,000 × 0.03225 = 400 + 9,000 + 9,675.
        #expect(abs(roi.monthlyUSD - 19_075) < 1e-6)
        #expect(abs(roi.savingsMonthlyUSD - 13_175) < 1e-6)
        #expect(abs(roi.savingsPct! - 100 * 13_175 / 32_250) < 1e-9)    // 40.85%
        #expect(abs(roi.savingsAnnualUSD - 158_100) < 1e-6)
        #expect(abs(roi.paybackMonths! - 300_000 / 13_175) < 1e-9)       // 22.77 months
        // Ramp: months 1 and 2 save 1,317.5 and 6,587.5; the remaining 292,095 take 22.17 full months.
        #expect(abs(roi.paybackMonthsWithRollout! - (2 + 292_095 / 13_175)) < 1e-9)
        #expect(roi.byModel.map(\.model) == ["small", "medium", "large"])
        #expect(roi.byModel.map(\.requests) == [400_000, 300_000, 300_000])
    }

    @Test func aSelfHostedModelCostsItsProvisionedFleetAMonth() throws {
        // medium hosted instead: 2 replicas × 4 GPUs × $3 an hour × 720 hours = $17,280 a month,
        // whatever share it takes (here 30%); small and large as before: 400 + 9,675.
        let text = Self.scenario.replacingOccurrences(of: "medium: {per_call_usd: 0.03}",
                                                      with: "medium: {self_hosted: {gpu_usd_per_hour: 3, gpus_per_replica: 4, replicas: 2}}")
        let roi = ROIResult(try ROIScenario.parse(text, file: "s.yaml"))
        #expect(abs(roi.byModel[1].monthlyUSD - 17_280) < 1e-9 && abs(roi.monthlyUSD - (400 + 17_280 + 9_675)) < 1e-9)
        // Prices beside self_hosted are refused.
        let both = text.replacingOccurrences(of: "{self_hosted:", with: "{per_call_usd: 0.01, self_hosted:")
        #expect { try ROIScenario.parse(both, file: "s.yaml") } throws: { "\($0)".contains("give self_hosted or prices, not both") }
    }

    @Test func noSavingsMeansNoPaybackWithAReason() throws {
        let text = Self.scenario.replacingOccurrences(of: "mix: {small: 0.40, medium: 0.30, large: 0.30}", with: "mix: {large: 1.0}")
        let roi = ROIResult(try ROIScenario.parse(text, file: "s.yaml"))
        #expect(roi.savingsMonthlyUSD == 0 && roi.paybackMonths == nil)
        #expect(roi.paybackNote == "never: the new design costs as much as or more than large")
    }

    @Test(arguments: [
        ("mix: {small: 0.40, medium: 0.30, large: 0.30}", "mix: {small: 0.5, large: 0.6}", "shares must sum to 1"),
        ("mix: {small: 0.40, medium: 0.30, large: 0.30}", "mix: {tiny: 1.0}", "model 'tiny' is not under models:"),
        ("avg_input_tokens: 900\n", "", "prices per token need avg_input_tokens"),
        ("baseline: large", "baseline: huge", "model 'huge' is not under models:"),
        ("monthly_requests: 1000000", "monthly_requests: 0", "must be > 0"),
    ])
    func invalidScenariosNameLineAndField(find: String, replace: String, reason: String) {
        let text = Self.scenario.replacingOccurrences(of: find, with: replace)
        #expect {
            try ROIScenario.parse(text, file: "s.yaml")
        } throws: { error in
            guard case let .invalidInput(file, line, _, message) = error as? RouteSimError else { return false }
            return file == "s.yaml" && line > 0 && message.contains(reason)
        }
    }

    @Test func paybackWithAndWithoutRamp() {
        #expect(Payback.months(investment: 100, monthlySavings: 40) == 2.5)
        // Ramp 25%, 50%, then 100%: 10 + 20 saved, the remaining 70 take 1.75 months at 40.
        #expect(Payback.months(investment: 100, monthlySavings: 40, rollout: [0.25, 0.5, 1]) == 3.75)
        // Crossing inside the ramp: 10 + 20 + 30 (of 75% of 40) = 60 ≥ 50 → 2 + 20/30.
        #expect(abs(Payback.months(investment: 50, monthlySavings: 40, rollout: [0.25, 0.5, 0.75])! - (2 + 20.0 / 30)) < 1e-12)
        #expect(Payback.months(investment: 100, monthlySavings: 0) == nil)
        #expect(Payback.months(investment: 100, monthlySavings: 40, rollout: [0.5, 0]) == nil)
    }
}

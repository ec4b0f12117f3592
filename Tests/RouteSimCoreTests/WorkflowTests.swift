import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Requests made of steps (docs/log-formats.md "Steps", docs/policies.md "Pipelines"), with
/// answers computed by hand. Every step has 1,000 input and 500 output tokens, so a call costs
/// $0.002 on small, $0.02 on medium and $0.2 on large (see `Fixture.catalogYAML`).
@Suite("Workflows: each step routed, cost summed, latency along the critical path")
struct WorkflowTests {
    /// A step of the test log: `outcomes` maps model → (success, latency ms).
    static func step(_ name: String, after: [String]? = nil, _ outcomes: [String: (Bool, Double)]) -> String {
        let results = outcomes.sorted { $0.key < $1.key }.map { #""\#($0.key)":{"success":\#($0.value.0),"latency_ms":\#($0.value.1)}"# }
        let dependencies = after.map { #","after":[\#($0.map { "\"\($0)\"" }.joined(separator: ","))]"# } ?? ""
        return #"{"name":"\#(name)"\#(dependencies),"input_tokens":1000,"output_tokens":500,"outcomes":{\#(results.joined(separator: ","))}}"#
    }

    static func line(_ steps: [String], id: String = "r") -> String {
        #"{"id":"\#(id)","ts":"2026-10-01T00:00:00Z","category":"faq","steps":[\#(steps.joined(separator: ","))]}"#
    }

    /// Decodes `line` as the replay does.
    static func record(_ line: String) throws -> Record {
        let catalog = Fixture.catalog
        let decoder = JSONRecordDecoder(catalog: catalog, featureKeys: [])
        var record = Record(id: "", inputTokens: 0, outcomes: Array(repeating: nil, count: catalog.count))
        var bytes = Array(line.utf8)
        let length = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 64))
        let problem = bytes.withUnsafeBytes { buffer -> FieldProblem? in
            do throws(FieldProblem) {
                try decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<length]), capacity: buffer.count, into: &record)
                return nil
            } catch {
                return error
            }
        }
        if let problem { throw problem }
        return record
    }

    /// Decodes `line` as the replay does and has `policy` decide it.
    static func decide(_ policy: String, _ line: String) throws -> (Decision, [StepDecision]) {
        let catalog = Fixture.catalog
        let record = try Self.record(line)
        var prices = RecordPrices(modelCount: catalog.count)
        try prices.update(for: record, catalog: catalog)
        var decisions: [Decision] = [], steps: [StepDecision] = [], trace: [StepCall]? = nil
        if let (_, missing) = Policy.decideAll([try Fixture.policy(policy)], record, prices: prices, catalog: catalog,
                                               into: &decisions, steps: &steps, trace: &trace) {
            throw missing
        }
        return (decisions[0], steps)
    }

    static let small = "name: p\nkind: single\nmodel: small\n"

    @Test func sequentialStepsAddTheirCostsAndLatencies() throws {
        let text = Self.line([Self.step("a", ["small": (true, 100)]), Self.step("b", ["small": (true, 200)]), Self.step("c", ["small": (true, 300)])])
        let (decision, steps) = try Self.decide(Self.small, text)
        #expect(abs(decision.costUSD - 0.006) < 1e-12)
        #expect(decision.latencyMs == 600)
        #expect(decision.success && decision.calls == 3 && decision.answerModel == 0)
        #expect(steps.map(\.step) == [0, 1, 2])
    }

    @Test func parallelStepsTakeTheLongestBranch() throws {
        // a → (b ∥ c) → d: 100 + max(200, 300) + 50 = 450 ms.
        let text = Self.line([Self.step("a", ["small": (true, 100)]), Self.step("b", after: ["a"], ["small": (true, 200)]),
                              Self.step("c", after: ["a"], ["small": (true, 300)]), Self.step("d", after: ["b", "c"], ["small": (true, 50)])])
        let (decision, _) = try Self.decide(Self.small, text)
        #expect(decision.latencyMs == 450)
        #expect(abs(decision.costUSD - 0.008) < 1e-12)
    }

    @Test func stepsWithNoDependencyStartTogether() throws {
        let text = Self.line([Self.step("a", after: [], ["small": (true, 100)]), Self.step("b", after: [], ["small": (true, 250)])])
        #expect(try Self.decide(Self.small, text).0.latencyMs == 250)
    }

    @Test func aPipelineRoutesEachStepItsOwnWay() throws {
        let policy = """
            name: tiered
            kind: pipeline
            steps:
              - {step: a, kind: single, model: small}
              - {step: b, kind: single, model: large}
            """
        let text = Self.line([Self.step("a", ["small": (true, 100), "large": (true, 900)]),
                              Self.step("b", ["small": (false, 100), "large": (true, 900)])])
        let (decision, steps) = try Self.decide(policy, text)
        #expect(abs(decision.costUSD - 0.202) < 1e-12)
        #expect(decision.latencyMs == 1000 && decision.success)
        #expect(decision.answerModel == nil, "two models answered: no single answering model")
        #expect(steps.map(\.decision.answerModel) == [0, 2])
        // Step b's oracle is large (small failed): not over-routed; step a's is small.
        #expect(steps.map(\.oracleCost) == [0.002, 0.2])
    }

    /// A step's stage is the one of its name, wherever the pipeline lists it and whatever order
    /// the request runs its steps in; names match as texts do ("café" with é as one character
    /// or as e and an accent), not byte for byte.
    @Test func aStepIsRoutedByTheStageOfItsNameInAnyOrder() throws {
        let stages = ["{step: knowledge_retrieval, kind: single, model: small}", "{step: café, kind: single, model: large}"]
        let policy = "name: tiered\nkind: pipeline\nsteps:\n" + stages.map { "  - \($0)\n" }.joined()
        let outcomes: [String: (Bool, Double)] = ["small": (true, 100), "large": (true, 900)]
        let text = Self.line([Self.step("cafe\\u0301", outcomes), Self.step("knowledge_retrieval", outcomes)])
        let (decision, steps) = try Self.decide(policy, text)
        #expect(steps.map(\.step) == [0, 1])
        #expect(steps.map(\.decision.answerModel) == [2, 0], "café on large, knowledge_retrieval on small")
        #expect(abs(decision.costUSD - 0.202) < 1e-12)
    }

    /// A step named as an earlier one is its next round, names compared as texts: "café" with é
    /// as one character and as e and an accent are one name; ASCII names differ by their bytes.
    @Test func aStepNamedAsAnEarlierOneIsItsNextRound() throws {
        let outcomes: [String: (Bool, Double)] = ["small": (true, 100)]
        let names = ["café", "knowledge_retrieval", "cafe\\u0301", "knowledge_retrieval", "knowledge_retrieval_2", "Café"]
        let record = try Self.record(Self.line(names.map { Self.step($0, outcomes) }))
        #expect(record.steps.map(\.round) == [1, 1, 2, 2, 1, 1])
    }

    @Test func aFailedStepThatStopsTheChainSavesTheRest() throws {
        let policy = """
            name: guarded
            kind: pipeline
            steps:
              - {step: safety, kind: single, model: small, stop_on_failure: true}
              - {step: answer, kind: single, model: large}
            """
        let text = Self.line([Self.step("safety", ["small": (false, 100)]), Self.step("answer", ["large": (true, 900)])])
        let (decision, steps) = try Self.decide(policy, text)
        #expect(abs(decision.costUSD - 0.002) < 1e-12)
        #expect(decision.latencyMs == 100 && !decision.success)
        #expect(steps.count == 1)
    }

    @Test func aStepThatIsNotRequiredMayFail() throws {
        let policy = """
            name: lenient
            kind: pipeline
            steps:
              - {step: a, kind: single, model: small, required: false}
              - {step: b, kind: single, model: small}
            """
        let text = Self.line([Self.step("a", ["small": (false, 100)]), Self.step("b", ["small": (true, 100)])])
        #expect(try Self.decide(policy, text).0.success)
    }

    static let critic = """
        name: loop
        kind: pipeline
        steps:
          - {step: draft, kind: single, model: medium}
          - {step: review, kind: single, model: small, critic_of: draft, max_rounds: 3}
        """

    /// Three rounds of draft and review; `accepts[r]` is whether the review of round r accepts.
    static func rounds(_ accepts: [Bool], draftsSucceed: [Bool] = [false, false, true]) -> String {
        line(zip(accepts, draftsSucceed).flatMap { accept, good in
            [step("draft", ["medium": (good, 100)]), step("review", ["small": (accept, 10)])]
        })
    }

    @Test func aCriticThatAcceptsAtOnceCostsOneRound() throws {
        let (decision, steps) = try Self.decide(Self.critic, Self.rounds([true, true, true]))
        #expect(abs(decision.costUSD - 0.022) < 1e-12)
        #expect(decision.latencyMs == 110)
        #expect(!decision.success, "the first draft was bad and the critic let it through")
        #expect(steps.map(\.rounds) == [1, 1])
    }

    @Test func aCriticThatAcceptsInRoundTwoPaysTwoRounds() throws {
        let (decision, steps) = try Self.decide(Self.critic, Self.rounds([false, true, true], draftsSucceed: [false, true, true]))
        #expect(abs(decision.costUSD - 0.044) < 1e-12)
        #expect(decision.latencyMs == 220)
        #expect(decision.success, "the revised draft is good and accepted")
        #expect(steps.map(\.rounds) == [2, 2])
        #expect(abs(steps[0].decision.costUSD - 0.04) < 1e-12 && abs(steps[1].decision.costUSD - 0.004) < 1e-12)
    }

    @Test func aCriticThatNeverAcceptsStopsAtTheLimitAndFails() throws {
        let (decision, steps) = try Self.decide(Self.critic, Self.rounds([false, false, false], draftsSucceed: [false, false, true]))
        #expect(abs(decision.costUSD - 0.066) < 1e-12)
        #expect(decision.latencyMs == 330)
        #expect(!decision.success, "the review step failed: it never accepted")
        #expect(steps[0].decision.success, "the last draft delivered is the third, which is good")
    }

    @Test func aLoopNeedingARoundTheLogLacksIsRefused() throws {
        let policy = Self.critic.replacingOccurrences(of: "max_rounds: 3", with: "max_rounds: 4")
        #expect(throws: MissingInput.round(step: "draft", round: 4)) {
            _ = try Self.decide(policy, Self.rounds([false, false, false]))
        }
    }

    @Test func anyOtherPolicyKindRoutesEveryStepOnceAndIgnoresLaterRounds() throws {
        // The oracle on each step: draft has only medium ($0.02), review only small ($0.002).
        let (decision, steps) = try Self.decide("name: p\nkind: oracle\n", Self.rounds([false, false, false]))
        #expect(abs(decision.costUSD - 0.022) < 1e-12, "draft and review once each; rounds 2 and 3 are not run")
        #expect(steps.count == 2)
    }

    @Test func aPipelineNamingAStepTheRecordLacksIsRefused() throws {
        let policy = "name: p\nkind: pipeline\nsteps:\n  - {step: nope, kind: single, model: small}\n"
        #expect(throws: MissingInput.step("nope")) { _ = try Self.decide(policy, Self.rounds([true])) }
    }

    static let badDependencies: [(String, String, String)] = [
        (line([step("a", after: ["zzz"], ["small": (true, 1)])]), "steps[0].after", "no step is named 'zzz'"),
        (line([step("a", after: ["b"], ["small": (true, 1)]), step("b", ["small": (true, 1)])]), "steps[0].after", "comes later"),
        (line([step("a", after: ["a"], ["small": (true, 1)])]), "steps[0].after", "cannot wait for itself"),
        (line([step("a", ["small": (true, 1)])]).replacingOccurrences(of: #""category""#, with: #""outcomes":{},"category""#),
         "outcomes", "per step or for the whole request"),
        (#"{"id":"r","ts":"2026-10-01T00:00:00Z","steps":[]}"#, "steps", "at least one step"),
        (line([#"{"name":"a","input_tokens":1,"outcomes":{"small":{"success":true,"latency_ms":-1}}}"#]), "steps[0].outcomes.small.latency_ms", ">= 0"),
        (line([#"{"name":"a","input_tokens":1,"outcomes":{"nope":{"success":true}}}"#]), "steps[0].outcomes.nope", "not in the catalog"),
        (line([#"{"name":"a","input_tokens":1,"outcomes":{"small":{"success":true}},"aftr":[]}"#]), "steps[0].aftr", "did you mean 'after'"),
        (line([#"{"input_tokens":1,"outcomes":{"small":{"success":true}}}"#]), "steps[0].name", "is required"),
        (line([#"{"name":"a\tb","input_tokens":1,"outcomes":{"small":{"success":true}}}"#]), "steps[0].name", "no newlines, tabs"),
    ]

    @Test(arguments: badDependencies)
    func badStepsAreRefusedNamingTheField(text: String, field: String, reason: String) throws {
        let problem = try RecordEdgeCaseTests.problem(text)
        #expect(problem.field == field && problem.reason.contains(reason), "\(problem)")
    }

    @Test(arguments: badDependencies)
    func ingestRefusesTheSameSteps(text: String, field: String, reason: String) throws {
        let fixture = Fixture()
        let store = try RecordStore(path: fixture.directory + "/store.db")
        var ingest = Ingest(logs: [fixture.file("log.jsonl", text + "\n")])
        ingest.skipInvalid = true
        var problems: [RecordProblem] = []
        _ = try ingest.run(into: store) { problems.append($0) }
        // Ingest has no catalog: an unknown model is stored, and refused when replayed.
        if reason != "not in the catalog" {
            #expect(problems.first?.field == field && problems.first?.reason.contains(reason) == true, "\(problems)")
        }
    }
}

@Suite("Workflows: per-step figures, merged across chunks and threads")
struct WorkflowTotalsTests {
    static let pipeline = """
        name: tiered
        kind: pipeline
        steps:
          - {step: a, kind: single, model: small}
          - {step: b, kind: single, model: large}
        """

    /// Four requests: step a on small (succeeds in 3 of 4), step b on large (always; small would
    /// have done in 2 of 4, which over-routes b there).
    static var log: String {
        var lines: [String] = []
        for index in 0..<4 {
            let a = WorkflowTests.step("a", ["small": (index != 3, 100.0)])
            let b = WorkflowTests.step("b", ["small": (index < 2, 10.0), "large": (true, 1000 + Double(index))])
            lines.append(WorkflowTests.line([a, b], id: "r\(index)"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func stepCountsAreTheHandCountedOnes() throws {
        let (result, problems) = try LogReadingTests.replay(Self.log, policies: Self.pipeline)
        #expect(problems.isEmpty)
        #expect(result.totals.stepNames == ["a", "b"])
        let steps = result.totals.policies[0].steps
        #expect(steps[0].requests == 4 && steps[0].successes == 3 && steps[0].underRouted == 0 && steps[0].unsolvable == 1)
        #expect(steps[1].requests == 4 && steps[1].successes == 4 && steps[1].overRouted == 2)
        // Cost: a = 4 × $0.002, b = 4 × $0.2, exactly.
        let unit = ExactSum.dollars().unitsPerOne
        #expect(Double(steps[0].costUnits) / unit == 0.008 && Double(steps[1].costUnits) / unit == 0.8)
        // Requests: r3 fails (a failed); latency 100 + 1000…1003.
        #expect(result.totals.policies[0].successes == 3)
        #expect(result.totals.policies[0].latencies == [1100, 1101, 1102, 1103])
    }

    @Test func stepMetricsAddUpToThePolicy() throws {
        let (result, _) = try LogReadingTests.replay(Self.log, policies: Self.pipeline)
        let accumulator = result.totals.policies[0]
        let metrics = zip(result.totals.stepNames, accumulator.steps).map {
            StepMetrics(step: $0, counts: $1, policy: accumulator, policyName: "tiered", catalog: Fixture.catalog)
        }
        #expect(abs(metrics.map(\.cpiUSD).reduce(0, +) - 0.202) < 1e-12)
        #expect(abs(metrics[1].costShare - 0.8 / 0.808) < 1e-12)
        #expect(metrics[1].overRoutingRate == 0.5 && metrics[0].successRate == 0.75)
        #expect(metrics[1].modelMix.map(\.model) == ["large"])
    }

    @Test func stepTotalsDoNotDependOnThreadsOrChunking() throws {
        var lines: [String] = []
        for index in 0..<200 {
            let latency = Double(index)
            let a = WorkflowTests.step("a", ["small": (index % 3 != 0, latency)])
            let b = WorkflowTests.step("b", after: [], ["small": (index % 2 == 0, 5.0), "large": (true, latency * 7)])
            lines.append(WorkflowTests.line([a, b], id: "r\(index)"))
        }
        let text = lines.joined(separator: "\n") + "\n"
        let (one, _) = try LogReadingTests.replay(text, policies: Self.pipeline, threads: 1)
        let (many, _) = try LogReadingTests.replay(text, policies: Self.pipeline, threads: 3, chunkSize: 900)
        #expect(one.totals.stepNames == many.totals.stepNames)
        #expect(one.totals.policies[0].steps == many.totals.policies[0].steps)
        #expect(one.totals.policies[0].latencies.sorted() == many.totals.policies[0].latencies.sorted())
    }

    /// Steps are listed where requests have them (the first place any request had each, then by
    /// name), and categories by name, whichever record came first: the log in reverse gives the
    /// same lists and the same counts, chunk for chunk.
    @Test func stepsAndCategoriesAreListedInAnOrderOfTheirOwn() throws {
        var lines: [String] = []
        for index in 0..<120 {
            let (x, y, z) = (WorkflowTests.step("extract", ["small": (index % 4 != 0, 50)]),
                             WorkflowTests.step("answer", ["small": (true, Double(index))]),
                             WorkflowTests.step("check", ["small": (index % 5 != 0, 20)]))
            // The first requests skip "extract"; later ones run extract, answer, check.
            let steps = index < 40 ? [y, z] : [x, y, z]
            lines.append(WorkflowTests.line(steps, id: "r\(index)")
                .replacingOccurrences(of: #""category":"faq""#, with: #""category":"\#(["faq", "billing", "account"][index % 3])""#))
        }
        let forward = lines.joined(separator: "\n") + "\n", backward = lines.reversed().joined(separator: "\n") + "\n"
        let (one, problems) = try LogReadingTests.replay(forward, policies: WorkflowTests.small, threads: 1)
        let (other, _) = try LogReadingTests.replay(backward, policies: WorkflowTests.small, threads: 2, chunkSize: 700)
        #expect(problems.isEmpty && one.totals.accepted == 120, "\(problems)")
        #expect(one.totals.stepNames == ["answer", "extract", "check"])
        #expect(one.totals.categoryNames == ["account", "billing", "faq"])
        #expect(other.totals.stepNames == one.totals.stepNames && other.totals.categoryNames == one.totals.categoryNames)
        #expect(other.totals.policies[0].steps == one.totals.policies[0].steps)
        #expect(other.totals.policies[0].categories == one.totals.policies[0].categories)
        #expect(other.totals.stepModels == one.totals.stepModels)
        #expect(one.totals.policies[0].steps[1].requests == 80 && one.totals.policies[0].categories[0].requests == 40)
    }

    @Test func aLogWithoutStepsHasNoStepFigures() throws {
        let (result, _) = try LogReadingTests.replay(LogReadingTests.line() + "\n")
        #expect(result.totals.stepNames.isEmpty && result.totals.policies[0].steps.isEmpty)
    }

    @Test func aPipelineOnALogWithoutStepsIsRefused() throws {
        let (result, problems) = try LogReadingTests.replay(LogReadingTests.line() + "\n", policies: Self.pipeline)
        #expect(result.totals.accepted == 0)
        #expect(problems.first?.reason.contains("is a pipeline, and this record has no steps") == true, "\(problems)")
    }
}

@Suite("Latency sketches agree with exact percentiles")
struct LatencySketchTests {
    /// A latency's bucket is the ceiling of log(latency / floor) / log(γ), worked out by
    /// conversion: the C library's `ceil` must agree on values across the range, on each bucket's
    /// upper edge and its neighbours one unit in the last place away.
    @Test func bucketsAreTheCeilingOfTheLogarithm() {
        let random = RandomSource(seed: 17)
        var values: [Double] = [0.01, 0.01.nextUp, 0.02, 1, 330.8, 1e10]
        for index in stride(from: 1, through: 2800, by: 7) {
            let edge = LatencySketch.floor * pow(LatencySketch.gamma, Double(index))
            values += [edge, edge.nextUp, edge.nextDown]
        }
        for _ in 0..<20_000 { values.append(pow(10, random.uniform() * 12 - 2)) }
        for value in values {
            #expect(LatencySketch.bucket(of: value) == Int((log(value / LatencySketch.floor) / log(LatencySketch.gamma)).rounded(.up)), "\(value)")
        }
    }

    @Test func withinHalfAPercentOfGSLsOrderStatistics() {
        let random = RandomSource(seed: 11)
        let values = (0..<20_000).map { _ in random.lognormal(median: 800, sigma: 1.2) }
        var sketch = LatencySketch()
        values.forEach { sketch.add($0) }
        let sorted = values.sorted()
        for q in [0.01, 0.5, 0.9, 0.95, 0.99, 0.999] {
            // The sketch's rank is ⌊q·(n−1)⌋ (0-based): the order statistic it approximates.
            let exact = sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
            let estimate = sketch.quantile(q)!
            #expect(abs(estimate - exact) / exact <= 0.005 + 1e-12, "q = \(q): \(estimate) vs \(exact)")
        }
        // GSL's interpolated quantile lies between neighbouring order statistics; the sketch is close to it too.
        let quantiles = Quantiles(values)
        #expect(abs(sketch.quantile(0.95)! - quantiles.values(at: [0.95])![0]) / quantiles.values(at: [0.95])![0] < 0.01)
    }

    @Test func mergingIsAddingAndOrderDoesNotMatter() {
        var whole = LatencySketch(), left = LatencySketch(), right = LatencySketch()
        for value in [0.0, 0.005, 3, 50, 50.2, 1e6, 7] { whole.add(value) }
        for value in [1e6, 7, 0.0] { left.add(value) }
        for value in [3, 50, 50.2, 0.005] { right.add(value) }
        var merged = right
        merged.merge(left)
        #expect(merged == whole && merged.count == 7)
        #expect(whole.quantile(0) == 0.005 && LatencySketch().quantile(0.5) == nil)
    }
}

@Suite("Latency budgets per window, end to end and per step")
struct LatencyBudgetTests {
    static let slo = """
        window: 1d
        latency_budget:
          end_to_end_ms: 1000
          within: 0.6
          steps: {a: 30%, b: 500}
        """

    /// Day 1: three requests; day 2: one. Step a takes 100, 200, 400 | 100 ms; b takes 500,
    /// 900, 300 | 950 ms, after a. So requests take 600, 1100, 700 | 1050 ms.
    static var log: String {
        let days = ["2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z", "2026-10-01T03:00:00Z", "2026-10-02T01:00:00Z"]
        let a = [100.0, 200, 400, 100], b = [500.0, 900, 300, 950]
        var lines: [String] = []
        for index in 0..<4 {
            let steps = [WorkflowTests.step("a", ["small": (true, a[index])]), WorkflowTests.step("b", ["small": (true, b[index])])]
            lines.append(WorkflowTests.line(steps, id: "r\(index)").replacingOccurrences(of: "2026-10-01T00:00:00Z", with: days[index]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func summary() throws -> SimulationSummary {
        let fixture = Fixture()
        let catalog = Fixture.catalog
        let policies = try PolicyLoader.load(paths: [fixture.file("p.yaml", WorkflowTests.small)], catalog: catalog)
        let spec = try SLOSpec.parse(Self.slo, file: "slo.yaml", catalog: catalog)
        var replay = Replay(catalog: catalog, policies: policies)
        replay.windowSeconds = spec.windowSeconds
        replay.latencyBudget = spec.latencyBudget
        let result = try replay.run(files: [fixture.file("log.jsonl", Self.log)])
        var options = SimulationSummary.Options()
        options.slo = spec
        return try SimulationSummary(result: result, policies: policies, catalog: catalog, options: options)
    }

    @Test func sharesOfTheEndToEndBudgetAreResolved() throws {
        let spec = try SLOSpec.parse(Self.slo, file: "slo.yaml", catalog: Fixture.catalog)
        #expect(spec.latencyBudget == LatencyBudget(endToEndMs: 1000, steps: ["a": 300, "b": 500]))
        #expect(spec.latencyWithin == 0.6)
    }

    @Test func overBudgetSharesAreTheHandCountedOnes() throws {
        let policy = try Self.summary().policies[0]
        // End to end: 1100 and 1050 exceed 1000: 2 of 4.
        #expect(policy.latencyBudget?.budgetMs == 1000 && policy.latencyBudget?.overShare == 0.5)
        // a over 300 ms: 400 (1 of 4); b over 500 ms: 900 and 950 (2 of 4; 500 itself is within).
        #expect(policy.steps.map(\.overBudgetShare) == [0.25, 0.5])
        #expect(policy.steps.map(\.budgetMs) == [300, 500])
    }

    @Test func windowsBelowTheirShareWithinBudgetAreBreaches() throws {
        let budget = try #require(try Self.summary().policies[0].errorBudget)
        // Day 1: end to end 2 of 3 within (0.667 ≥ 0.6: fine); a 2 of 3 within (fine); b 2 of 3 (fine).
        // Day 2: end to end 0 of 1; a 1 of 1 (fine); b 0 of 1.
        let day2 = 1_790_812_800.0 + 86_400
        #expect(budget.breaches.map(\.subject) == ["latency", "latency:b"])
        #expect(budget.breaches.allSatisfy { $0.windowStart == day2 && $0.observed == 0 && $0.target == 0.6 && $0.requests == 1 })
    }

    static let bad: [(String, String)] = [
        ("latency_budget: {steps: {a: 30%}}\n", "needs end_to_end_ms"),
        ("latency_budget: {end_to_end_ms: 100, steps: {a: 130%}}\n", "must be a share such as 70%"),
        ("latency_budget: {within: 0.9}\n", "gives no budget"),
        ("latency_budget: {end_to_end_ms: -5}\n", "latency_budget.end_to_end_ms: must be >= 0"),
        ("latency_budget: {end_to_end: 100}\n", "is not a known key here (expected one of: end_to_end_ms, steps, within)"),
    ]

    @Test(arguments: bad)
    func badBudgetsAreRefused(yaml: String, words: String) throws {
        do {
            _ = try SLOSpec.parse(yaml, file: "slo.yaml", catalog: Fixture.catalog)
            Issue.record("accepted \(yaml)")
        } catch {
            #expect("\(error)".contains("slo.yaml") && "\(error)".contains(words), "\(error)")
        }
    }
}

@Suite("The complexity matrix: which model each step needs")
struct ComplexityMatrixTests {
    /// 100 requests of steps a, b, c. Small succeeds on every a, on half the b, on no c; medium on
    /// every a and b and 80 of the c; large on everything.
    static var log: String {
        var lines: [String] = []
        for index in 0..<100 {
            let a = WorkflowTests.step("a", ["small": (true, 10), "medium": (true, 20), "large": (true, 40)])
            let b = WorkflowTests.step("b", ["small": (index % 2 == 0, 10), "medium": (true, 20), "large": (true, 40)])
            let c = WorkflowTests.step("c", ["small": (false, 10), "medium": (index < 80, 20), "large": (true, 40)])
            lines.append(WorkflowTests.line([a, b, c], id: "r\(index)"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let policies = """
        name: always-large
        kind: single
        model: large
        ---
        name: declared
        kind: pipeline
        steps:
          - {step: a, kind: single, model: small, complexity: {reasoning: low}}
          - {step: b, kind: single, model: medium, complexity: {reasoning: high, context: low}}
          - {step: c, kind: single, model: large}
        """

    static func matrix(slo: String = "step_success: {a: 0.9, b: 0.9, c: 0.9}\n") throws -> ComplexityMatrix {
        let fixture = Fixture()
        let catalog = Fixture.catalog
        let policies = try PolicyLoader.load(paths: [fixture.file("p.yaml", Self.policies)], catalog: catalog)
        let result = try Replay(catalog: catalog, policies: policies).run(files: [fixture.file("log.jsonl", Self.log)])
        var options = SimulationSummary.Options(baseline: "always-large", monthlyVolume: 1000)
        options.slo = try SLOSpec.parse(slo, file: "slo.yaml", catalog: catalog)
        return try #require(try SimulationSummary(result: result, policies: policies, catalog: catalog, options: options).complexity)
    }

    @Test func cellsTargetsAndTheCheapestModelThatMeetsEach() throws {
        let rows = try Self.matrix().rows
        #expect(rows.map(\.step) == ["a", "b", "c"])
        // 100 of 100: Wilson's lower bound is n / (n + z²) = 100 / 103.84 = 0.963 ≥ 0.9.
        let small = try #require(rows[0].cells.first)
        #expect(small.model == "small" && small.outcomes == 100 && small.successRate == 1 && small.meetsTarget)
        #expect(abs(small.successCI95!.lowerBound - 100 / (100 + 1.959964 * 1.959964)) < 1e-5)
        #expect(abs(small.costPerCallUSD - 0.002) < 1e-12 && small.latencyP95 != nil)
        #expect(rows.map(\.cheapestMeeting) == ["small", "medium", "large"])
        #expect(rows[1].cells.map(\.meetsTarget) == [false, true, true])
        // 80 of 100: upper bound under 0.9 as well as the rate.
        #expect(rows[2].cells.map(\.meetsTarget) == [false, false, true])
    }

    @Test func theSingleModelThresholdAndMeasuredComplexity() throws {
        let rows = try Self.matrix().rows
        #expect(rows.map(\.needsTopTier) == [false, false, true])
        #expect(rows.map(\.measured) == [.low, .medium, .high])
        #expect(rows.map(\.declared) == [.low, .high, nil])
        #expect(rows.map(\.disagrees) == [false, true, false])
    }

    @Test func theMonthlySavingOfMovingEachStep() throws {
        let rows = try Self.matrix().rows
        #expect(rows.map(\.baselineModel) == ["large", "large", "large"])
        // Per request today $0.2 on large; moving a to small saves $0.198, b to medium $0.18, c nothing; × 1,000 a month.
        let savings = rows.map { $0.monthlySavingUSD ?? .nan }
        #expect(abs(savings[0] - 198) < 1e-9 && abs(savings[1] - 180) < 1e-9 && abs(savings[2]) < 1e-9)
    }

    @Test func withoutATargetNothingIsMarked() throws {
        let rows = try Self.matrix(slo: "window: 1d\nlatency_budget: {end_to_end_ms: 1000}\n").rows
        #expect(rows.allSatisfy { $0.target == nil && $0.cheapestMeeting == nil && !$0.needsTopTier && $0.measured == nil })
    }
}

@Suite("Workflows in long CSV: a step column")
struct WorkflowCSVTests {
    static let header = "id,ts,category,step,after,round,input_tokens,output_tokens,model,success,latency_ms\n"

    /// The parallel example of `WorkflowTests`: a → (b ∥ c) → d, as CSV rows (d's rows apart from the rest).
    static let csv = header + """
        r,2026-10-01T00:00:00Z,faq,a,,,1000,500,small,true,100
        r,2026-10-01T00:00:00Z,faq,b,a,,1000,500,small,true,200
        r,2026-10-01T00:00:00Z,faq,c,a,,1000,500,small,true,300
        s,2026-10-01T00:00:00Z,faq,a,,,1000,500,small,true,1
        r,2026-10-01T00:00:00Z,faq,d,b;c,,1000,500,small,true,50
        r,2026-10-01T00:00:00Z,faq,d,b;c,,1000,500,large,true,70

        """

    @Test func aCSVWithStepsReplaysAsItsJSONLinesDo() throws {
        let (result, problems) = try LogReadingTests.replay(Self.csv, name: "log.csv")
        #expect(problems.isEmpty, "\(problems)")
        #expect(result.totals.accepted == 2)
        // r: 100 + max(200, 300) + 50 = 450 ms, 4 × $0.002; s: 1 ms, $0.002.
        #expect(result.totals.policies[0].latencies == [450, 1])
        #expect(abs(result.totals.policies[0].cost.value - 0.010) < 1e-12)
        #expect(result.totals.stepNames == ["a", "b", "c", "d"])
    }

    @Test func anIngestedCSVWithStepsReplaysTheSameFromTheStore() throws {
        let fixture = Fixture()
        let store = try RecordStore(path: fixture.directory + "/store.db")
        _ = try Ingest(logs: [fixture.file("log.csv", Self.csv)]).run(into: store)
        let catalog = Fixture.catalog
        let policies = try PolicyLoader.load(paths: [fixture.file("p.yaml", LogReadingTests.single)], catalog: catalog)
        let stored = try Replay(catalog: catalog, policies: policies).run(sources: [.store(RecordStore(existing: store.path), StoreQuery())])
        #expect(stored.totals.accepted == 2 && stored.totals.policies[0].latencies == [450, 1])
    }

    static let bad: [(String, String, String)] = [
        ("r,2026-10-01T00:00:00Z,faq,a,zzz,,1,1,small,true,1\n", "after", "no step is named 'zzz'"),
        ("r,2026-10-01T00:00:00Z,faq,a,,2,1,1,small,true,1\n", "round", "is round 2, but 0 earlier round(s)"),
        ("r,2026-10-01T00:00:00Z,faq,a,,,1,1,small,true,1\nr,2026-10-01T00:00:00Z,faq,a,,,2,1,large,true,1\n", "", "disagree on input_tokens"),
        ("r,2026-10-01T00:00:00Z,faq,a,,,1,1,small,true,1\nr,2026-10-01T00:00:00Z,faq,,,,1,1,large,true,1\n", "step", "mixes rows with a step"),
        ("r,2026-10-01T00:00:00Z,faq,a,,,1,1,small,true,1\nr,2026-10-01T00:00:00Z,faq,a,,,1,1,small,true,1\n", "model", "two rows for model 'small'"),
        ("r,2026-10-01T00:00:00Z,faq,a,,,1,1,small,true,-4\n", "latency_ms", "must be >= 0"),
    ]

    @Test(arguments: bad)
    func badStepRowsAreRefusedNamingTheColumn(rows: String, field: String, reason: String) throws {
        let (result, problems) = try LogReadingTests.replay(Self.header + rows, name: "log.csv")
        #expect(result.totals.accepted == 0)
        #expect(problems.first?.field == field && problems.first?.reason.contains(reason) == true, "\(problems)")
    }
}

@Suite("Workflows and mocks: missing step outcomes, steps and rounds drawn from the mock file")
struct WorkflowMockTests {
    static func run(_ log: String, policy: String, mock: String?) throws -> (Replay.Result, [RecordProblem]) {
        let fixture = Fixture()
        let catalog = Fixture.catalog
        var replay = Replay(catalog: catalog, policies: try PolicyLoader.load(paths: [fixture.file("p.yaml", policy)], catalog: catalog))
        replay.skipInvalid = true
        if let mock { replay.mock = (try MockSpec.parse(mock, file: "mock.yaml", catalog: catalog), MockDrawer.seed(run: 1)) }
        var problems: [RecordProblem] = []
        let result = try replay.run(files: [fixture.file("log.jsonl", log)]) { problems.append($0) }
        return (result, problems)
    }

    static let log = WorkflowTests.line([WorkflowTests.step("a", ["small": (true, 100)]), WorkflowTests.step("b", ["small": (false, 100)])]) + "\n"

    @Test func aModelTheLogLacksOnAStepIsDrawn() throws {
        let policy = "name: p\nkind: pipeline\nsteps:\n  - {step: a, kind: single, model: small}\n  - {step: b, kind: single, model: large}\n"
        let (refused, problems) = try Self.run(Self.log, policy: policy, mock: nil)
        #expect(refused.totals.accepted == 0 && problems.first?.field == "steps[1].outcomes.large", "\(problems)")
        #expect(problems.first?.reason.contains("needs model 'large' on step 'b'") == true, "\(problems)")
        // success 1: the draw always succeeds; latency fixed (sigma 0).
        let mock = "steps:\n  b:\n    models:\n      large: {success: 1, latency_ms: {median: 700, sigma: 0}}\n"
        let (result, none) = try Self.run(Self.log, policy: policy, mock: mock)
        #expect(none.isEmpty && result.totals.accepted == 1)
        #expect(result.totals.policies[0].successes == 1 && result.totals.policies[0].mockedCalls == 1)
        #expect(abs(result.totals.policies[0].latencies[0] - 800) < 1e-9)
    }

    @Test func aStepTheLogLacksIsAddedFromTheMock() throws {
        let policy = "name: p\nkind: pipeline\nsteps:\n  - {step: a, kind: single, model: small}\n  - {step: safety, kind: single, model: small}\n"
        let (refused, problems) = try Self.run(Self.log, policy: policy, mock: nil)
        #expect(refused.totals.accepted == 0 && problems.first?.reason.contains("routes step 'safety'") == true, "\(problems)")
        let mock = "steps:\n  safety:\n    input_tokens: 1000\n    output_tokens: 500\n    after: [a]\n    models:\n      small: {success: 1, latency_ms: {median: 40, sigma: 0}}\n"
        let (result, none) = try Self.run(Self.log, policy: policy, mock: mock)
        #expect(none.isEmpty, "\(none)")
        // a (100 ms) then safety (40 ms) after it; b is not run by the pipeline. Cost 2 × $0.002.
        #expect(abs(result.totals.policies[0].latencies[0] - 140) < 1e-9)
        #expect(abs(result.totals.policies[0].cost.value - 0.004) < 1e-12)
    }

    @Test func laterRoundsOfACriticLoopAreDrawn() throws {
        // One recorded round; the critic (b on small) rejects it; round 2 comes from the mock,
        // where a (medium here is absent: small drafts) and b always succeed.
        let policy = """
            name: loop
            kind: pipeline
            steps:
              - {step: a, kind: single, model: small}
              - {step: b, kind: single, model: small, critic_of: a, max_rounds: 2}
            """
        let mock = """
            steps:
              a: {rounds: 2, models: {small: {success: 1, latency_ms: {median: 10, sigma: 0}}}}
              b: {rounds: 2, models: {small: {success: 1, latency_ms: {median: 5, sigma: 0}}}}
            """
        let (result, problems) = try Self.run(Self.log, policy: policy, mock: mock)
        #expect(problems.isEmpty, "\(problems)")
        let totals = result.totals.policies[0]
        // Round 1: 100 + 100 ms; round 2: 10 + 5 ms. Four calls at $0.002, two of them mocked.
        #expect(abs(totals.latencies[0] - 215) < 1e-9)
        #expect(abs(totals.cost.value - 0.008) < 1e-12 && totals.mockedCalls == 2 && totals.successes == 1)
    }

    @Test func badStepMocksAreRefused() {
        for (yaml, words) in [("steps: {a: {models: {nope: {success: 1}}}}\n", "not in the catalog"),
                              ("steps: {a: {rounds: 0, models: {small: {success: 1}}}}\n", "at least 1"),
                              ("steps: {a: {models: {small: {success: 1}}, inputs: 3}}\n", "not a known key"),
                              ("seed: 3\n", "gives no mock")] {
            #expect(throws: (any Error).self, "\(yaml)") { _ = try MockSpec.parse(yaml, file: "mock.yaml", catalog: Fixture.catalog) }
            do { _ = try MockSpec.parse(yaml, file: "mock.yaml", catalog: Fixture.catalog) } catch {
                #expect("\(error)".contains(words), "\(error)")
            }
        }
    }
}

@Suite("Workflows from OpenTelemetry traces: routesim.step or the agent name")
struct WorkflowOTelTests {
    /// A model span of trace `trace`, from `start` to `end` ms after 2026-10-01T00:00:00Z.
    static func span(_ trace: String, _ model: String, _ start: Double, _ end: Double, step: String? = nil, agent: String? = nil,
                     name: String = "chat", failed: Bool = false) -> String {
        let base: Int64 = 1_790_812_800_000_000_000
        let nanos = { (ms: Double) in base + Int64(ms * 1e6) }
        var attributes = [#"{"key":"gen_ai.request.model","value":{"stringValue":"\#(model)"}}"#,
                          #"{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}}"#,
                          #"{"key":"gen_ai.usage.output_tokens","value":{"intValue":"500"}}"#]
        if let step { attributes.append(#"{"key":"routesim.step","value":{"stringValue":"\#(step)"}}"#) }
        if let agent { attributes.append(#"{"key":"gen_ai.agent.name","value":{"stringValue":"\#(agent)"}}"#) }
        let status = failed ? #","status":{"code":2}"# : ""
        return #"{"traceId":"\#(trace)","spanId":"\#(model)\#(start)","name":"\#(name)","startTimeUnixNano":"\#(nanos(start))","endTimeUnixNano":"\#(nanos(end))","attributes":[\#(attributes.joined(separator: ","))]\#(status)}"#
    }

    static func export(_ spans: [String]) -> String {
        #"{"resourceSpans":[{"scopeSpans":[{"spans":[\#(spans.joined(separator: ","))]}]}]}"#
    }

    @Test func stepsOrderAndDependenciesComeFromTiming() throws {
        // intent 0–100 ms; retrieval and context both 100–400 and 100–250 (parallel); generation 400–1400,
        // recorded on small and large; the agent's name names one span, a span name the last.
        let text = Self.export([
            Self.span("t1", "small", 0, 100, step: "intent"),
            Self.span("t1", "small", 100, 400, step: "retrieval"),
            Self.span("t1", "small", 100, 250, agent: "context"),
            Self.span("t1", "small", 400, 1400, step: "generation"),
            Self.span("t1", "large", 400, 1900, step: "generation"),
            Self.span("t1", "small", 1900, 1950, name: "safety"),
        ]) + "\n"
        let single = "name: p\nkind: single\nmodel: small\n"
        let (result, problems) = try LogReadingTests.replay(text, name: "log.otel.jsonl", policies: single)
        #expect(problems.isEmpty, "\(problems)")
        #expect(result.totals.stepNames == ["intent", "retrieval", "context", "generation", "safety"])
        // On small: 100 + max(300, 150) + 1000 + 50 = 1450 ms; five calls at $0.002.
        #expect(result.totals.policies[0].latencies == [1450])
        #expect(abs(result.totals.policies[0].cost.value - 0.010) < 1e-12)
    }

    @Test func aRepeatedStepWithTheSameModelIsAFurtherRound() throws {
        let text = Self.export([
            Self.span("t2", "medium", 0, 100, step: "draft"), Self.span("t2", "small", 100, 110, step: "review", failed: true),
            Self.span("t2", "medium", 110, 210, step: "draft"), Self.span("t2", "small", 210, 220, step: "review"),
        ]) + "\n"
        let loop = """
            name: loop
            kind: pipeline
            steps:
              - {step: draft, kind: single, model: medium}
              - {step: review, kind: single, model: small, critic_of: draft, max_rounds: 2}
            """
        let (result, problems) = try LogReadingTests.replay(text, name: "log.otel.jsonl", policies: loop)
        #expect(problems.isEmpty, "\(problems)")
        // Two rounds: 2 × (100 + 10) ms, 2 × ($0.02 + $0.002).
        #expect(result.totals.policies[0].latencies == [220])
        #expect(abs(result.totals.policies[0].cost.value - 0.044) < 1e-12)
    }

    /// OTLP times are 19-digit nanosecond strings, beyond a double's 53 bits: read as doubles, a
    /// 299 ns span measured 256 ns. They are subtracted as integers.
    @Test func spanDurationsAreExactToTheNanosecond() throws {
        let text = Self.export([Self.span("t4", "small", 0, 1)])
            .replacingOccurrences(of: #""startTimeUnixNano":"1790812800000000000""#, with: #""startTimeUnixNano":"1790812800000000001""#)
            .replacingOccurrences(of: #""endTimeUnixNano":"1790812800001000000""#, with: #""endTimeUnixNano":"1790812800000000300""#) + "\n"
        let (result, problems) = try LogReadingTests.replay(text, name: "log.otel.jsonl")
        #expect(problems.isEmpty, "\(problems)")
        #expect(result.totals.policies[0].latencies == [0.000299])
    }

    @Test func aTraceWithoutStepNamesStaysOneRequestWithOutcomesPerModel() throws {
        let text = Self.export([Self.span("t3", "small", 0, 100), Self.span("t3", "large", 0, 900)]) + "\n"
        let (result, problems) = try LogReadingTests.replay(text, name: "log.otel.jsonl")
        #expect(problems.isEmpty && result.totals.accepted == 1 && result.totals.stepNames.isEmpty)
    }
}

@Suite("calibrate and logs with steps")
struct WorkflowCalibrationTests {
    /// calibrate learns from one-call records; on a log of steps it used to write a mock file
    /// with no model at all, without a word.
    @Test func aLogWithStepsIsRefusedNamingTheRecord() throws {
        let fixture = Fixture()
        let log = fixture.file("log.jsonl", LogReadingTests.line(id: "one") + "\n" + WorkflowMockTests.log)
        let calibration = Calibration(inputs: ReplayInputs(logs: [log], catalogPath: fixture.file("models.yaml", Fixture.catalogYAML),
                                                           policyPaths: []))
        #expect(throws: RouteSimError.invalidInput(file: log, line: 2, field: "steps",
                                                   reason: "calibrate learns from one-call records, and this one has steps; write a mock's steps: by hand for now (see docs/mocks.md, Steps)")) {
            _ = try calibration.run()
        }
    }
}

extension WorkflowCalibrationTests {
    @Test func offPolicyEstimatesRefuseALogWithSteps() throws {
        let fixture = Fixture()
        let log = fixture.file("log.jsonl", WorkflowMockTests.log)
        let estimate = OffPolicyEstimate(inputs: ReplayInputs(logs: [log], catalogPath: fixture.file("models.yaml", Fixture.catalogYAML),
                                                              policyPaths: [fixture.file("p.yaml", LogReadingTests.single)]))
        do {
            _ = try estimate.run()
            Issue.record("a log with steps was scored")
        } catch {
            #expect("\(error)".contains("steps") && "\(error)".contains("one-call records"), "\(error)")
        }
    }
}

import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel

/// Self-hosted models in a replay (docs/capacity.md): their fleets priced by the GPU-hour on the
/// log's own arrival times, the cost part of each policy's; bad specs refused naming the field.
@Suite("Self-hosted models in a replay")
struct SelfHostedReplayTests {
    static let catalog = """
        models:
          small: {tier: 1, input_per_mtok: 1, output_per_mtok: 2}
          hosted:
            tier: 2
            self_hosted:
              gpu_usd_per_hour: 2
              prefill_tokens_per_s: 1000
              decode_tokens_per_s: 100
              min_replicas: 1
              max_replicas: 1
              autoscale: {target_utilisation: 0.7, every_s: 60}
        """

    static func line(_ id: String, minute: Int) -> String {
        #"{"id":"\#(id)","ts":"2026-10-01T00:\#(String(format: "%02d", minute)):00Z","input_tokens":1000,"output_tokens":100,"outcomes":{"small":{"success":true},"hosted":{"success":true}}}"#
    }

    @Test func theFleetIsPricedByTheHourOnTheLogsArrivals() throws {
        let fixture = Fixture()
        let log = fixture.file("log.jsonl", [Self.line("a", minute: 0), Self.line("b", minute: 30), Self.line("c", minute: 59)].joined(separator: "\n") + "\n")
        let models = fixture.file("models.yaml", Self.catalog)
        let policies = fixture.file("p.yaml", "name: small\nkind: single\nmodel: small\n---\nname: hosted\nkind: single\nmodel: hosted\n")
        let summary = try Simulation(logs: [log], catalogPath: models, policyPaths: [policies]).run()
        // Each call holds its slot 1000/1000 + 100/100 = 2 s. One replica, always on, from the first
        // request (00:00) to the last call's end (00:59:02): 3,542 s at $2 an hour.
        let hosted = try #require(summary.policies.first { $0.name == "hosted" })
        let fleet = try #require(hosted.fleets.first)
        #expect(fleet.calls == 3 && fleet.peakReplicas == 1 && fleet.coldStarts == 0 && fleet.waitP95Ms == 0)
        #expect(abs(fleet.gpuHours - 3542.0 / 3600) < 1e-12 && abs(fleet.costUSD - 3542.0 / 3600 * 2) < 1e-12)
        #expect(abs(fleet.utilisation - 6.0 / 3542) < 1e-12)
        // The fleet's cost is the policy's (its calls cost nothing each), spread over its 3 requests.
        #expect(abs(hosted.totalCostUSD - fleet.costUSD) < 1e-9 && abs(hosted.cpiUSD - fleet.costUSD / 3) < 1e-9)
        // The API model: 3 × (1,000 × $1 + 100 × $2) per million.
        #expect(abs(summary.policies.first { $0.name == "small" }!.totalCostUSD - 0.0036) < 1e-12)
        // summary.json and the report carry the fleet.
        let json = SummaryJSON.json(summary).rendered()
        #expect(json.contains(#""fleets": ["#) && json.contains(#""gpu_hours": 0.98388"#) && json.contains(#""peak_replicas": 1"#))
        let report = MarkdownReport.render(summary)
        #expect(report.contains("## Self-hosted capacity") && report.contains("| hosted | hosted | 3 | 1.0 | $1.97 |"), "\(report)")
        // A policy that never goes near the self-hosted model pays nothing for its fleet.
        #expect(summary.policies.first { $0.name == "small" }!.fleets.isEmpty)
    }

    @Test func aRequestsLatencyIncludesItsWaitInTheQueueAndTheBudgetSeesIt() throws {
        let fixture = Fixture()
        // Two requests a second apart on one replica serving one at a time, each holding it 2 s: the
        // second waits 1 s. Recorded latencies 100 ms each → 100 and 1,100 ms.
        let lines = ["0", "1"].map {
            #"{"id":"r\#($0)","ts":"2026-10-01T00:00:0\#($0)Z","input_tokens":1000,"output_tokens":100,"outcomes":{"hosted":{"success":true,"latency_ms":100}}}"#
        }
        let log = fixture.file("log.jsonl", lines.joined(separator: "\n") + "\n")
        let models = fixture.file("models.yaml", Self.catalog)
        let policies = fixture.file("p.yaml", "name: hosted\nkind: single\nmodel: hosted\n")
        var simulation = Simulation(logs: [log], catalogPath: models, policyPaths: [policies])
        simulation.sloPath = fixture.file("slo.yaml", "window: 1d\nlatency_budget: {end_to_end_ms: 1000, within: 0.9}\n")
        let summary = try simulation.run()
        let hosted = summary.policies[0]
        #expect(hosted.fleets[0].waitP99Ms > 900 && abs(hosted.fleets[0].waitMeanMs - 500) < 1e-9)
        #expect(hosted.latency?.mean == 600 && hosted.latency?.p50 == 600)
        // One of the two requests is over the 1,000 ms budget now: a breach of the day's 90%.
        #expect(hosted.latencyBudget?.overShare == 0.5)
        #expect(hosted.errorBudget?.breaches.contains { $0.subject == "latency" } == true)
    }

    @Test func underAnArrivalScaleAWaitCountsInTheRequestsOwnWindow() throws {
        let fixture = Fixture()
        // Day 1 one request; day 2 two, a second apart. Twice as fast, day 2's pair arrives 0.5 s
        // apart at 12:00 of the fleet's day 1; the second waits 1.5 s: 100 + 1,500 ms, over budget.
        let times = ["2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z", "2026-10-02T00:00:01Z"]
        let lines = times.enumerated().map { index, time in
            #"{"id":"r\#(index)","ts":"\#(time)","input_tokens":1000,"output_tokens":100,"outcomes":{"hosted":{"success":true,"latency_ms":100}}}"#
        }
        var simulation = Simulation(logs: [fixture.file("log.jsonl", lines.joined(separator: "\n") + "\n")],
                                    catalogPath: fixture.file("models.yaml", Self.catalog),
                                    policyPaths: [fixture.file("p.yaml", "name: hosted\nkind: single\nmodel: hosted\n")])
        simulation.sloPath = fixture.file("slo.yaml", "window: 1d\nlatency_budget: {end_to_end_ms: 1000, within: 0.9}\n")
        simulation.options.arrivalScale = 2
        let policy = try simulation.run().policies[0]
        // The breach is the request's own day in the log (2 October), not the fleet's.
        let breaches = try #require(policy.errorBudget?.breaches.filter { $0.subject == "latency" })
        #expect(breaches.map(\.windowStart) == [20_728 * 86_400], "\(breaches)")
        #expect(breaches.first?.requests == 2)
    }

    @Test func fasterTrafficAndTheBreakEvenWithAnAPIAreCountedByHand() throws {
        let fixture = Fixture()
        let logPath = fixture.file("log.jsonl", [Self.line("a", minute: 0), Self.line("b", minute: 30), Self.line("c", minute: 59)].joined(separator: "\n") + "\n")
        // The same model from an API at $100 and $1,000 per million: 3 × (1,000 × 100 + 100 × 1,000) / 10⁶ = $0.6.
        let catalog = Self.catalog + "\n      api_alternative: {input_per_mtok: 100, output_per_mtok: 1000}\n"
        var simulation = Simulation(logs: [logPath], catalogPath: fixture.file("models.yaml", catalog),
                                    policyPaths: [fixture.file("p.yaml", "name: hosted\nkind: single\nmodel: hosted\n")])
        simulation.options.arrivalScale = 2
        let fleet = try #require(try simulation.run().policies[0].fleets.first)
        // Twice as fast: arrivals at 0, 15 and 29.5 minutes; the replica runs to 1,770 + 2 s.
        #expect(abs(fleet.costUSD - 1772.0 / 3600 * 2) < 1e-12 && abs(fleet.apiAlternativeCostUSD! - 0.6) < 1e-12)
        // The log's hour 00:00–01:00 is the fleet's first 1,800 s: 1,772 replica-seconds of them.
        #expect(abs(fleet.replicasByHourOfDay[0] - 1772.0 / 1800) < 1e-12 && fleet.replicasByHourOfDay[1] == 0)
        // The curve: at 4× the replica runs 885 + 2 s: $0.49278, below the API's $0.6. A fixed fleet
        // costs (3,540/s + 2) s × $2 an hour at s times the traffic: $0.6 when 3,540/s + 2 = 1,080,
        // s = 3,540 / 1,078 = 3.2839.
        #expect(abs(fleet.costByTraffic.first { $0.scale == 4 }!.costUSD - 887.0 / 3600 * 2) < 1e-12)
        #expect(abs(fleet.breakEvenScale! - 3540.0 / 1078) < 1e-3, "\(fleet.breakEvenScale!)")
    }

    @Test func aLogWithoutArrivalTimesIsRefusedForAFleet() throws {
        let fixture = Fixture()
        let log = fixture.file("log.jsonl", [Self.line("a", minute: 0), Self.line("b", minute: 0)].joined(separator: "\n") + "\n")
        let simulation = Simulation(logs: [log], catalogPath: fixture.file("models.yaml", Self.catalog),
                                    policyPaths: [fixture.file("p.yaml", "name: hosted\nkind: single\nmodel: hosted\n")])
        #expect { try simulation.run() } throws: { "\($0)".contains("all 2 requests of the log have one time") && "\($0)".contains("field ts") }
    }

    @Test(.tags(.slow)) func theBundledFleetsAreByteIdenticalWhateverTheThreads() throws {
        func summary(threads: Int) throws -> String {
            var inputs = ReplayInputs(logs: [RouteSimBinary.datasets + "/capacity-7d.jsonl.gz"], catalogPath: RouteSimBinary.datasets + "/capacity-models.yaml",
                                      policyPaths: [RouteSimBinary.datasets + "/capacity-policies.yaml"])
            inputs.threads = threads
            var simulation = Simulation(inputs: inputs)
            simulation.options.baseline = "api-large"
            simulation.options.arrivalScale = 16
            return SummaryJSON.json(try simulation.run()).rendered()
        }
        let (one, three) = (try summary(threads: 1), try summary(threads: 3))
        #expect(one.contains(#""fleets""#) && one == three)
    }

    @Test func stepsCallTheFleetEachAtItsOwnTokens() throws {
        let fixture = Fixture()
        // Each request: "draft" (hosted or small) and "check" (hosted), 1,000 in and 100 out each.
        func request(_ id: String, minute: Int) -> String {
            let outcomes = #"{"small":{"success":true,"latency_ms":50},"hosted":{"success":true,"latency_ms":80}}"#
            return #"{"id":"\#(id)","ts":"2026-10-01T00:\#(String(format: "%02d", minute)):00Z","steps":["#
                + #"{"name":"draft","input_tokens":1000,"output_tokens":100,"outcomes":\#(outcomes)},"#
                + #"{"name":"check","input_tokens":1000,"output_tokens":100,"outcomes":\#(outcomes)}]}"#
        }
        let log = fixture.file("log.jsonl", [request("a", minute: 0), request("b", minute: 30)].joined(separator: "\n") + "\n")
        let policies = fixture.file("p.yaml", """
            name: mixed
            kind: pipeline
            steps:
              - {step: draft, kind: single, model: small}
              - {step: check, kind: single, model: hosted}
            ---
            name: hosted
            kind: single
            model: hosted
            """)
        let summary = try Simulation(logs: [log], catalogPath: fixture.file("models.yaml", Self.catalog), policyPaths: [policies]).run()
        // "mixed" calls the fleet once a request (check), "hosted" twice (both steps): 2 s a call.
        let mixed = try #require(summary.policies.first { $0.name == "mixed" }?.fleets.first)
        let hosted = try #require(summary.policies.first { $0.name == "hosted" }?.fleets.first)
        #expect(mixed.calls == 2 && hosted.calls == 4)
        // Each request's two calls to the fleet arrive together: one slot, so the second waits 2 s.
        #expect(hosted.waitMeanMs == 1000 && mixed.waitMeanMs == 0)
        // One replica from 00:00 to 00:30 + 4 s at $2 an hour, for each policy.
        #expect(abs(hosted.costUSD - 1804.0 / 3600 * 2) < 1e-12 && abs(mixed.costUSD - 1802.0 / 3600 * 2) < 1e-12)
    }

    @Test func compareChargesTheFleetToo() throws {
        let fixture = Fixture()
        let log = fixture.file("log.jsonl", [Self.line("a", minute: 0), Self.line("b", minute: 30), Self.line("c", minute: 59)].joined(separator: "\n") + "\n")
        var inputs = ReplayInputs(logs: [log], catalogPath: fixture.file("models.yaml", Self.catalog),
                                  policyPaths: [fixture.file("p.yaml", "name: small\nkind: single\nmodel: small\n---\nname: hosted\nkind: single\nmodel: hosted\n")])
        inputs.threads = 1
        let result = try PolicyComparison(inputs: inputs, baseline: "small", candidate: "hosted").run()
        // The candidate's cost is its fleet's, as in the first test: 3,542 s at $2 an hour over 3 requests.
        #expect(abs(result.cand.cpiUSD - 3542.0 / 3600 * 2 / 3) < 1e-9 && result.cand.fleets.count == 1 && result.base.fleets.isEmpty)
        #expect(!result.passed)
    }

    @Test func sweepAndOffpolicyRefuseAFleetAndSayWhatToRunInstead() throws {
        let fixture = Fixture()
        let models = fixture.file("models.yaml", Self.catalog)
        let log = fixture.file("log.jsonl", [Self.line("a", minute: 0), Self.line("b", minute: 30)].joined(separator: "\n") + "\n")
        let policies = fixture.file("p.yaml", """
            name: try-small
            kind: cascade
            steps:
              - model: small
                accept_if: {confidence: {gte: 0.5}}
              - model: hosted
            """)
        let sweep = Sweep(inputs: ReplayInputs(logs: [log], catalogPath: models, policyPaths: [policies]), policyName: "try-small",
                          parameter: "steps[0].accept_if.confidence.gte", values: [0.5, 0.9])
        #expect { try sweep.run() } throws: {
            "\($0)".contains("sweep cannot price 'hosted'") && "\($0)".contains("each setting would need its own fleet run")
                && "\($0)".contains("as policies and run simulate")
        }
        let catalog = try ModelCatalog.parse(Self.catalog, file: models)
        #expect { try catalog.requireNoSelfHosting(.offpolicy) } throws: {
            "\($0)".contains("offpolicy cannot price 'hosted'") && "\($0)".contains("not any one request's")
        }
    }

    @Test(arguments: [
        ("prefill_tokens_per_s: 1000\n", "", "decode_tokens_per_s"),
        ("gpu_usd_per_hour: 2\n", "gpu_usd_per_hour: -2\n", "gpu_usd_per_hour"),
        ("max_replicas: 1\n", "max_replicas: 0\n", "max_replicas"),
        ("autoscale: {target_utilisation: 0.7, every_s: 60}", "autoscale: {every_s: 60}", "needs one rule"),
        ("autoscale: {target_utilisation: 0.7, every_s: 60}", "autoscale: {target_utilisation: 1.5, every_s: 60}", "target_utilisation"),
        // A call would hold its slot for ages: the fleet would look every minute until it ended.
        ("prefill_tokens_per_s: 1000\n", "prefill_tokens_per_s: 1e-300\n", "prefill_tokens_per_s: must be at least 1"),
        // A warm-up beyond a day models no GPU, and its end would leave the fleet's clock behind.
        ("min_replicas: 1\n", "min_replicas: 1\n      cold_start_s: 1e300\n", "cold_start_s: must be from 0 to 86,400 seconds"),
        // Looks closer together than a log's timestamps can tell apart never move the clock on.
        ("every_s: 60}", "every_s: 0.0000001}", "every_s: must be at least 1"),
        // Slots beyond any real replica's, whose count times the replicas would overflow.
        ("min_replicas: 1\n", "min_replicas: 1\n      batch: 100000000000000\n", "batch: must be a whole number from 1 to 1,000,000"),
    ])
    func badSpecsAreRefusedNamingTheField(old: String, new: String, message: String) throws {
        var text = Self.catalog.replacingOccurrences(of: old, with: new)
        if new.isEmpty { text = Self.catalog.replacingOccurrences(of: "      decode_tokens_per_s: 100\n", with: "") }
        #expect { try ModelCatalog.parse(text, file: "m.yaml") } throws: { "\($0)".contains("m.yaml:") && "\($0)".contains(message) }
    }

    @Test func aSelfHostedModelWithAPIPricesTooIsRefused() {
        let text = Self.catalog.replacingOccurrences(of: "    tier: 2\n", with: "    tier: 2\n    input_per_mtok: 1\n")
        #expect { try ModelCatalog.parse(text, file: "m.yaml") } throws: { "\($0)".contains("paid by its GPUs' hours") }
    }
}

import Foundation
import Testing

@Suite("routesim simulate and validate, run as a user would")
struct SimulateCommandTests {
    static let models = """
        models:
          small: {tier: 1, input_per_mtok: 1.0, output_per_mtok: 2.0}
          large: {tier: 3, input_per_mtok: 100.0, output_per_mtok: 200.0}
        """
    static let policies = "name: always-large\nkind: single\nmodel: large\n---\nname: cascade\nkind: cascade\nsteps:\n  - model: small\n    accept_if: {confidence: {gte: 0.8}}\n  - model: large\n"

    static func line(_ id: String, _ small: String = #"{"success":true,"latency_ms":100,"confidence":0.9}"#) -> String {
        #"{"id":"\#(id)","ts":"2026-10-0\#(id.count % 9 + 1)T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":\#(small),"large":{"success":true,"latency_ms":900}}}"#
    }

    static func scratch(log: [String]) -> Scratch {
        let scratch = Scratch()
        scratch.file("models.yaml", models)
        scratch.file("policies.yaml", policies)
        scratch.file("log.jsonl", log.joined(separator: "\n") + "\n")
        return scratch
    }

    static let simulate = ["simulate", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "policies.yaml"]

    @Test func helpTeachesTheCommands() throws {
        let help = try RouteSimBinary.run(["--help"])
        #expect(help.status == 0)
        for word in ["simulate", "validate", "mock", "Exit codes"] { #expect(help.stdout.contains(word)) }
        let simulateHelp = try RouteSimBinary.run(["simulate", "--help"])
        #expect(simulateHelp.stdout.contains("--skip-invalid") && simulateHelp.stdout.contains("Example"))
    }

    @Test func noCommandShowsTheHelpAndExitsTwo() throws {
        let run = try RouteSimBinary.run([])
        #expect(run.status == 2 && run.stderr.contains("simulate") && run.stdout.isEmpty)
    }

    /// An engineering cost no saving pays back within any horizon still gives a report with its
    /// payback chart, not a crash (`PaybackChartTests` checks the horizon).
    @Test func anEngineeringCostBeyondAnyPaybackStillGivesAReport() throws {
        let scratch = Scratch()
        let datasets = RouteSimBinary.root + "/datasets/"
        let run = try RouteSimBinary.bash(
            "zcat \(datasets)support-14d.jsonl.gz | head -2000 > log.jsonl && routesim simulate --log log.jsonl --models \(datasets)models.yaml "
                + "--policy \(datasets)policies.yaml --out out --engineering-cost 1e308", in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(scratch.read("out/report.md").contains("charts/payback.png"))
    }

    /// A traffic multiple the fleet's clock cannot follow (its windows and looks would be numbers
    /// beyond counting) is refused before the replay, not left to crash it.
    @Test(arguments: ["1e-300", "0.0001", "1e300"])
    func anArrivalScaleOutOfRangeIsRefused(scale: String) throws {
        let scratch = Scratch()
        scratch.file("models.yaml", """
            models:
              hosted:
                tier: 1
                self_hosted:
                  gpu_usd_per_hour: 2
                  prefill_tokens_per_s: 1000
                  decode_tokens_per_s: 100
                  max_replicas: 1
                  autoscale: {target_utilisation: 0.7, every_s: 60}
            """)
        scratch.file("policies.yaml", "name: h\nkind: single\nmodel: hosted\n")
        scratch.file("log.jsonl", [("a", "1971-01-01T00:00:00Z"), ("b", "2100-01-01T00:00:00Z")].map { id, time in
            #"{"id":"\#(id)","ts":"\#(time)","input_tokens":10,"output_tokens":5,"outcomes":{"hosted":{"success":true}}}"#
        }.joined(separator: "\n") + "\n")
        let run = try RouteSimBinary.run(Self.simulate + ["--out", "out", "--no-charts", "--arrival-scale", scale], in: scratch.path)
        #expect(run.status == 2 && run.stderr.contains("--arrival-scale must be between 0.001 and 1,000"), "\(run.status) \(run.stderr)")
        // Within it, the same log runs.
        let inRange = try RouteSimBinary.run(Self.simulate + ["--out", "in", "--no-charts", "--arrival-scale", "0.001"], in: scratch.path)
        #expect(inRange.status == 0, "\(inRange.stderr)")
    }

    @Test func writesSummaryAndReport() throws {
        let scratch = Self.scratch(log: ["a", "bb", "ccc"].map { Self.line($0) })
        let run = try RouteSimBinary.run(Self.simulate + ["--out", "out"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(scratch.read("out/summary.json").utf8)) as! [String: Any]
        #expect((summary["input"] as! [String: Any])["accepted"] as? Int == 3)
        #expect(summary["baseline"] as? String == "always-large")
        let policies = summary["policies"] as! [[String: Any]]
        let keys = ["name", "requests", "total_cost_usd", "cpi_usd", "cpi_ci95", "success_rate", "success_ci95", "over_routing_rate",
                    "under_routing_rate", "routing_accuracy", "unsolvable_rate", "model_mix", "escalation_rate", "review_rate",
                    "latency_ms", "quality_gap_recovered", "savings_vs_baseline", "payback_months", "error_budget", "by_category"]
        for key in keys { #expect(policies[1][key] != nil, "missing \(key)") }
        // The cascade accepts small every time: 0.002 a request against 0.2.
        #expect(abs((policies[1]["cpi_usd"] as! Double) - 0.002) < 1e-12)
        let report = scratch.read("out/report.md")
        #expect(report.contains("## Policies at a glance") && report.contains("## cascade") && report.contains("## Method"))
    }

    @Test func sameInputsGiveByteIdenticalOutputsWhateverTheThreads() throws {
        let scratch = Self.scratch(log: (0..<200).map { Self.line("r\($0)") })
        #expect(try RouteSimBinary.run(Self.simulate + ["--out", "one", "--threads", "1"], in: scratch.path).status == 0)
        #expect(try RouteSimBinary.run(Self.simulate + ["--out", "two", "--threads", "2"], in: scratch.path).status == 0)
        #expect(try RouteSimBinary.run(Self.simulate + ["--out", "again", "--threads", "2"], in: scratch.path).status == 0)
        for name in ["summary.json", "report.md"] {
            #expect(scratch.read("one/\(name)") == scratch.read("two/\(name)"))
            #expect(scratch.read("two/\(name)") == scratch.read("again/\(name)"))
        }
    }

    @Test func firstBadRecordStopsWithExitTwoNamingFileLineField() throws {
        let scratch = Self.scratch(log: [Self.line("a"), Self.line("b", #"{"latency_ms":5}"#)])
        let run = try RouteSimBinary.run(Self.simulate + ["--out", "out"], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr == "routesim: log.jsonl:2: outcomes.small.success: is required\n")
    }

    @Test func skipInvalidWritesRejectedAndCountsThem() throws {
        let scratch = Self.scratch(log: [Self.line("a"), "{not json", Self.line("a"), Self.line("d")])
        let run = try RouteSimBinary.run(Self.simulate + ["--out", "out", "--skip-invalid"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        let rejected = scratch.read("out/rejected.jsonl").split(separator: "\n")
        #expect(rejected.count == 2)
        #expect(rejected[1].contains(#""line":3,"field":"id","reason":"duplicate id 'a' (first seen at log.jsonl:1)""#))
        let summary = try JSONSerialization.jsonObject(with: Data(scratch.read("out/summary.json").utf8)) as! [String: Any]
        let input = summary["input"] as! [String: Any]
        #expect(input["records"] as? Int == 4 && input["accepted"] as? Int == 2 && input["rejected"] as? Int == 2)
    }

    @Test func policyNamingAnUnknownModelIsRefused() throws {
        let scratch = Self.scratch(log: [Self.line("a")])
        scratch.file("bad.yaml", "name: x\nkind: single\nmodel: gpt-9\n")
        let run = try RouteSimBinary.run(["simulate", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "bad.yaml"], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("routesim: bad.yaml:3: model: model 'gpt-9' is not in the catalog models.yaml"))
    }

    @Test func breachesFailTheRunOnlyWhenAsked() throws {
        // small succeeds on a, bb, ccc; the cascade answers from small with confidence 0.9.
        let scratch = Self.scratch(log: ["a", "bb", "ccc"].map { Self.line($0) })
        scratch.file("slo.yaml", "window: 1d\nrouting_accuracy: 0.9\n")
        let withSLO = Self.simulate + ["--out", "out", "--slo", "slo.yaml"]
        let lenient = try RouteSimBinary.run(withSLO, in: scratch.path)
        #expect(lenient.status == 0 && lenient.stdout.contains("3 error-budget breaches"), "\(lenient.stdout)")
        let strict = try RouteSimBinary.run(withSLO + ["--fail-on-breach"], in: scratch.path)
        #expect(strict.status == 1)
        #expect(scratch.read("out/report.md").contains("## Error budget"))
        let noSLO = try RouteSimBinary.run(Self.simulate + ["--fail-on-breach"], in: scratch.path)
        #expect(noSLO.status == 2 && noSLO.stderr.contains("--fail-on-breach needs --slo FILE"))
    }

    @Test func usageErrorsAreExitTwo() throws {
        let missing = try RouteSimBinary.run(["simulate", "--models", "m.yaml"])
        #expect(missing.status == 2 && missing.stderr.contains("Missing expected argument '--policy <policy> ...'"))
        let noInput = try RouteSimBinary.run(["simulate", "--models", "m.yaml", "--policy", "p.yaml"])
        #expect(noInput.status == 2 && noInput.stderr.contains("give either --log FILE… or --db FILE"))
        let unknown = try RouteSimBinary.run(["simulate", "--frobnicate"])
        #expect(unknown.status == 2)
        #expect(try RouteSimBinary.run(["--help"]).status == 0)
        #expect(try RouteSimBinary.run(["--version"]).status == 0)
    }

    @Test func formatCanBeNamedWhenTheFileDoesNotSayIt() throws {
        let scratch = Scratch()
        let batch = try String(contentsOfFile: RouteSimBinary.root + "/datasets/formats/openai-batch.jsonl", encoding: .utf8)
        // Its first line is blank, so detection sees a canonical log; --format says otherwise.
        scratch.file("batch.jsonl", "\n" + batch)
        scratch.file("p.yaml", "name: mini\nkind: single\nmodel: gpt-4o-mini\n")
        let models = RouteSimBinary.root + "/datasets/formats/models.yaml"
        let args = ["simulate", "--log", "batch.jsonl", "--models", models, "--policy", "p.yaml", "--no-charts", "--out", "out"]
        #expect(try RouteSimBinary.run(args, in: scratch.path).status == 2)
        let named = try RouteSimBinary.run(args + ["--format", "openai-batch"], in: scratch.path)
        #expect(named.status == 0 && named.stdout.contains("replayed 3 requests"), "\(named.stderr)")
        let wrong = try RouteSimBinary.run(args + ["--format", "parquet"], in: scratch.path)
        #expect(wrong.status == 2 && wrong.stderr.contains("--format must be one of: canonical, csv, routerbench, otel-genai, litellm, openai-batch, langfuse, helicone"))
    }

    @Test func missingFileIsExitTwo() throws {
        let scratch = Self.scratch(log: [])
        let run = try RouteSimBinary.run(["simulate", "--log", "nope.jsonl", "--models", "models.yaml", "--policy", "policies.yaml"], in: scratch.path)
        #expect(run.status == 2 && run.stderr.contains("cannot read nope.jsonl"))
    }

    @Test func validateReportsEveryProblem() throws {
        let scratch = Self.scratch(log: [Self.line("a"), #"{"id":"b"}"#, Self.line("c", #"{"success":1}"#)])
        let run = try RouteSimBinary.run(["validate", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "policies.yaml"], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("log.jsonl:2: ts: is required"))
        #expect(run.stderr.contains("log.jsonl:3: outcomes.small.success: must be true or false"))
        #expect(run.stderr.contains("2 problem(s) found"))
        let good = Self.scratch(log: [Self.line("a")])
        let fine = try RouteSimBinary.run(["validate", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "policies.yaml"], in: good.path)
        #expect(fine.status == 0 && fine.stdout.contains("all valid"))
    }

    /// A tolerance that is no share is the user's mistake (exit 2, with the usage), not routesim's.
    @Test(arguments: ["nan", "inf"])
    func aLintToleranceThatIsNoShareIsAUsageError(tolerance: String) throws {
        let scratch = Self.scratch(log: [Self.line("a")])
        let run = try RouteSimBinary.run(["validate", "--log", "log.jsonl", "--models", "models.yaml", "--lint", "--lint-tolerance", tolerance],
                                         in: scratch.path)
        #expect(run.status == 2 && run.stderr.contains("--lint-tolerance must be a share >= 0") && !run.stderr.contains("internal error"),
                "\(run.status) \(run.stderr)")
    }

    @Test func aLogOfCallsGetsWhatProductionDidAsItsBaseline() throws {
        let scratch = Scratch()
        scratch.file("p.yaml", "name: mini\nkind: single\nmodel: gpt-4o-mini\n")
        let formats = RouteSimBinary.root + "/datasets/formats/"
        let args = ["simulate", "--models", formats + "models.yaml", "--policy", "p.yaml", "--no-charts", "--out", "out"]
        let run = try RouteSimBinary.run(args + ["--log", formats + "litellm.jsonl"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try String(contentsOfFile: scratch.path + "/out/summary.json", encoding: .utf8)
        // What the LiteLLM sample's calls cost (datasets/formats/expected/litellm.jsonl.yaml).
        #expect(summary.contains(#""baseline": "production""#) && summary.contains(#""total_cost_usd": 0.004091"#), "\(summary)")
        let report = try String(contentsOfFile: scratch.path + "/out/report.md", encoding: .utf8)
        #expect(report.contains("routesim added it as the baseline because the log records every call"))
        // A batch file's calls are the same requests sent to several models: nothing is added.
        let batch = try RouteSimBinary.run(args + ["--log", formats + "openai-batch.jsonl"], in: scratch.path)
        let batchSummary = try String(contentsOfFile: scratch.path + "/out/summary.json", encoding: .utf8)
        #expect(batch.status == 0 && !batchSummary.contains("production"))
        // Nor when a baseline is named.
        let named = try RouteSimBinary.run(args + ["--log", formats + "litellm.jsonl", "--baseline", "mini"], in: scratch.path)
        let namedSummary = try String(contentsOfFile: scratch.path + "/out/summary.json", encoding: .utf8)
        #expect(named.status == 0 && !namedSummary.contains("production"))
    }

    @Test func repriceAtPricesTheWholeLogAtOneDateAndTheReportSaysSo() throws {
        let scratch = Self.scratch(log: [Self.line("a"), Self.line("bb", #"{"success":true,"output_tokens":500,"cost_usd":9}"#)])
        scratch.file("models.yaml", Self.models.replacingOccurrences(of: "output_per_mtok: 200.0}", with: "output_per_mtok: 200.0, dated_prices: [{from: 2026-10-05, input_per_mtok: 200}]}"))
        scratch.file("p.yaml", "name: all-large\nkind: single\nmodel: large\n")
        let args = ["simulate", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "p.yaml", "--no-charts", "--out", "out"]
        let run = try RouteSimBinary.run(args + ["--reprice-at", "2026-10-06"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try String(contentsOfFile: scratch.path + "/out/summary.json", encoding: .utf8)
        // Both calls at $200/$200 per million: 1,000 × 200e-6 + 500 × 200e-6 = $0.3 each; the recorded $9 set aside.
        #expect(summary.contains(#""repriced_at": "2026-10-06T00:00:00Z""#) && summary.contains(#""total_cost_usd": 0.6"#), "\(summary)")
        let report = try String(contentsOfFile: scratch.path + "/out/report.md", encoding: .utf8)
        #expect(report.contains("every call at the catalog's per-call and per-token prices in force on 2026-10-06; recorded costs are set aside"))
        #expect(report.contains("Price list: models.yaml."))
        // Without it, each call at its own time's prices, and the report names the dates.
        #expect(try RouteSimBinary.run(args, in: scratch.path).status == 0)
        let dated = try String(contentsOfFile: scratch.path + "/out/report.md", encoding: .utf8)
        #expect(dated.contains("else the catalog's per-call and per-token prices in force at the request's time (large changes on 2026-10-05)."))
        let bad = try RouteSimBinary.run(args + ["--reprice-at", "soon"], in: scratch.path)
        #expect(bad.status == 2 && bad.stderr.contains("--reprice-at soon is not a date"))
    }

    @Test func validateLintListsWhatMakesACostDoubtfulWithoutFailing() throws {
        let scratch = Self.scratch(log: [Self.line("a"), Self.line("bb", #"{"success":true,"output_tokens":500,"cost_usd":9}"#)])
        let args = ["validate", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "policies.yaml"]
        let run = try RouteSimBinary.run(args + ["--lint"], in: scratch.path)
        #expect(run.status == 0 && run.stdout.contains("all valid"), "\(run.stderr)")
        #expect(run.stdout.contains("lint cost_mismatches: log.jsonl:2: outcomes.small.cost_usd: records $9, but models.yaml prices this call at"))
        #expect(run.stdout.contains("cost checks: zero_token_calls 0, constant_token_models 0, cost_mismatches 1,"))
        // Without --lint nothing is listed; a tolerance that is not a share is refused.
        #expect(try !RouteSimBinary.run(args, in: scratch.path).stdout.contains("lint "))
        #expect(try RouteSimBinary.run(args + ["--lint", "--lint-tolerance", "-1"], in: scratch.path).status == 2)
    }

    /// A broken catalog, two broken documents in one file and a name used in two files: all listed.
    @Test func validateGoesOnPastEachProblem() throws {
        let scratch = Self.scratch(log: [Self.line("a")])
        scratch.file("models.yaml", "models:\n  small: {tier: one}\n")
        scratch.file("policies.yaml", "name: a\nkind: single\nmodel: small\n---\nname: b\nkind: single\n---\nname: c\nkind: teapot\n")
        scratch.file("more.yaml", "name: a\nkind: oracle\n")
        let run = try RouteSimBinary.run(["validate", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "policies.yaml", "more.yaml"],
                                         in: scratch.path)
        #expect(run.status == 2)
        for expected in ["models.yaml:2: models.small.tier: must be a whole number", "policies.yaml:5: model: is required",
                         "policies.yaml:9: kind: 'teapot' is not a policy kind", "more.yaml:1: name: policy name 'a' is already used in policies.yaml:1",
                         "4 problem(s) found"] {
            #expect(run.stderr.contains(expected), "\(expected) in \(run.stderr)")
        }
        #expect(run.stdout.contains("log.jsonl: not checked"))
    }

    /// Every command that reads records takes the same inputs: --log files or a --db store.
    @Test func validateCalibrateAndOffpolicyReadAStoreToo() throws {
        let scratch = Self.scratch(log: ["a", "bb", "ccc"].map { Self.line($0) })
        #expect(try RouteSimBinary.run(["ingest", "--log", "log.jsonl", "--db", "s.db"], in: scratch.path).status == 0)
        let validate = try RouteSimBinary.run(["validate", "--models", "models.yaml", "--db", "s.db"], in: scratch.path)
        #expect(validate.status == 0 && validate.stdout.contains("s.db: 3 records, 3 valid"), "\(validate.stdout)\(validate.stderr)")
        let calibrate = try RouteSimBinary.run(["calibrate", "--models", "models.yaml", "--db", "s.db", "--out", "c"], in: scratch.path)
        #expect(calibrate.status == 0 && scratch.read("c/mock.yaml").contains("from 3 records of the store s.db"), "\(calibrate.stderr)")
        let neither = try RouteSimBinary.run(["calibrate", "--models", "models.yaml"], in: scratch.path)
        #expect(neither.status == 2 && neither.stderr.contains("give either --log FILE… or --db FILE"))
        let both = try RouteSimBinary.run(["offpolicy", "--models", "models.yaml", "--policy", "policies.yaml", "--log", "log.jsonl", "--db", "s.db"], in: scratch.path)
        #expect(both.status == 2 && both.stderr.contains("not both"))
    }
}

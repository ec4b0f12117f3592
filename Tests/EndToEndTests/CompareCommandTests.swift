import Foundation
import Testing

@Suite("routesim compare as a CI step")
struct CompareCommandTests {
    static func scratch() -> Scratch {
        let scratch = Scratch()
        scratch.file("models.yaml", SimulateCommandTests.models)
        scratch.file("policies.yaml", "name: large\nkind: single\nmodel: large\n---\nname: small\nkind: single\nmodel: small\n"
                     + "---\nname: large-renamed\nkind: single\nmodel: large\n")
        // small fails 30 of the 100 requests large answers.
        let lines = (0..<100).map { index in
            #"{"id":"r\#(index)","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":\#(index >= 30)},"large":{"success":true}}}"#
        }
        scratch.file("log.jsonl", lines.joined(separator: "\n") + "\n")
        return scratch
    }

    static func compare(_ baseline: String, _ candidate: String, in scratch: Scratch, stepSummary: String? = nil) throws -> RouteSimBinary.Run {
        try RouteSimBinary.run(["compare", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "policies.yaml",
                                "--baseline", baseline, "--candidate", candidate, "--junit", "out/junit.xml", "--out", "out"],
                               in: scratch.path, environment: ["GITHUB_STEP_SUMMARY": stepSummary ?? scratch.path + "/summary.md"])
    }

    @Test func regressionExitsOneWithReadableSummaryAndJUnit() throws {
        let scratch = Self.scratch()
        let run = try Self.compare("large", "small", in: scratch)
        #expect(run.status == 1)
        #expect(run.stdout.contains("❌ regression") && run.stdout.contains("**fail**"))
        let json = try JSONSerialization.jsonObject(with: Data(scratch.read("out/compare.json").utf8)) as! [String: Any]
        #expect(json["verdict"] as? String == "regression")
        for key in ["baseline", "candidate", "criteria", "cpi_diff_usd", "cpi_diff_ci95", "success_diff", "mcnemar_p"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(scratch.read("out/junit.xml").contains(#"tests="2" failures="1""#))
        // The job summary is the comment's text without its chart, which a job summary cannot show.
        let stepSummary = scratch.read("summary.md")
        #expect(stepSummary.contains("❌ regression") && !stepSummary.contains(".png"))
        #expect(scratch.read("out/compare.md").contains("charts/compare.png") || !FileManager.default.fileExists(atPath: "/usr/bin/gnuplot"))
    }

    @Test func anUnwritableStepSummaryWarnsAndKeepsTheVerdict() throws {
        let scratch = Self.scratch()
        let run = try Self.compare("large", "large-renamed", in: scratch, stepSummary: scratch.path + "/no/such/dir/summary.md")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning") && run.stderr.contains("GITHUB_STEP_SUMMARY"))
    }

    @Test func noRegressionExitsZero() throws {
        let scratch = Self.scratch()
        let run = try Self.compare("large", "large-renamed", in: scratch)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("✅ no regression"))
        #expect(scratch.read("out/junit.xml").contains(#"failures="0""#))
    }

    /// Ten requests cannot show a ten-point drop beyond chance: the gate passes, and says why.
    @Test func aPassWithTooFewRequestsSaysSo() throws {
        let scratch = Self.scratch()
        let lines = (0..<10).map { index in
            #"{"id":"r\#(index)","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"outcomes":{"small":{"success":\#(index != 0)},"large":{"success":true}}}"#
        }
        scratch.file("log.jsonl", lines.joined(separator: "\n") + "\n")
        let run = try Self.compare("large", "small", in: scratch)
        #expect(run.status == 0)
        #expect(run.stdout.contains("Not enough requests to rule out a drop"))
        // One sign convention everywhere: candidate − baseline.
        #expect(run.stdout.contains("| −10.00 pts | −0.50 pts |") && run.stdout.contains("| Success rate | −10.00 pts |"), "\(run.stdout)")
        #expect(!run.stdout.contains("p = <"))
        let json = try JSONSerialization.jsonObject(with: Data(scratch.read("out/compare.json").utf8)) as! [String: Any]
        #expect(json["success_drop_ruled_out"] as? Bool == false)
    }

    @Test func junitSpeaksInPointsAndPValues() throws {
        let scratch = Self.scratch()
        _ = try Self.compare("large", "small", in: scratch)
        let junit = scratch.read("out/junit.xml")
        #expect(junit.contains("observed change −30.00 pts, limit −0.50 pts, p &lt; 0.0001"), "\(junit)")
    }

    @Test func unknownCandidateIsExitTwo() throws {
        let run = try Self.compare("large", "nope", in: Self.scratch())
        #expect(run.status == 2 && run.stderr.contains("--candidate nope is not one of the policies: large, small, large-renamed"))
    }
}

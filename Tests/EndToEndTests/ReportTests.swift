import Foundation
import Testing

@Suite("report.md and its charts")
struct ReportTests {
    /// The arguments of `make demo` (keep in step with the Makefile).
    static let demo = ["simulate", "--log", "datasets/support-14d.jsonl.gz", "--models", "datasets/models.yaml",
                       "--policy", "datasets/policies.yaml", "--baseline", "always-large", "--monthly-volume", "3000000",
                       "--engineering-cost", "150000", "--rollout", "0.1,0.5,1", "--slo", "datasets/slo.yaml"]
    /// The self-hosted capacity example of `make demo`.
    static let capacity = ["simulate", "--log", "datasets/capacity-7d.jsonl.gz", "--models", "datasets/capacity-models.yaml",
                           "--policy", "datasets/capacity-policies.yaml", "--baseline", "api-large"]

    /// The workflow example of `make demo`.
    static let workflow = ["simulate", "--log", "datasets/workflow-14d.jsonl.gz", "--models", "datasets/models.yaml",
                           "--policy", "datasets/workflow-policies.yaml", "--baseline", "always-large",
                           "--monthly-volume", "3000000", "--engineering-cost", "150000", "--slo", "datasets/workflow-slo.yaml"]

    static func run(_ out: String, environment: [String: String] = [:]) throws -> RouteSimBinary.Run {
        try RouteSimBinary.run(demo + ["--out", out], environment: environment)
    }

    static func dollars(_ value: Double) -> String {
        // Whole dollars with thousands separators, written independently of the report's formatter.
        let digits = String(Int(value.rounded()))
        var groups: [Substring] = []
        var rest = Substring(digits)
        while rest.count > 3 {
            groups.insert(rest.suffix(3), at: 0)
            rest = rest.dropLast(3)
        }
        groups.insert(rest, at: 0)
        return "$" + groups.joined(separator: ",")
    }

    @Test func chartsAreValidImagesAndTheProseMatchesTheSummary() throws {
        let out = Scratch().path
        let run = try Self.run(out)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        for name in ["monthly-cost", "model-mix", "frontier", "latency-cdf", "timeline", "payback"] {
            let png = try Data(contentsOf: URL(fileURLWithPath: "\(out)/charts/\(name).png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(name).png is not a PNG")
            #expect(png.count > 10_000)
            let svg = try String(contentsOfFile: "\(out)/charts/\(name).svg", encoding: .utf8)
            #expect(svg.contains("<svg") && svg.contains("</svg>"))
            #expect(report.contains("](charts/\(name).png)"), "report does not embed \(name)")
        }
        for section in ["## Summary", "**Recommendation: ", "## Policies at a glance", "## Error budget", "## Method"] {
            #expect(report.contains(section), "missing \(section)")
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        let policies = summary["policies"] as! [[String: Any]]
        let pick = try #require(policies.first { report.contains("**Recommendation: \($0["name"] as! String).**") })
        let savings = pick["savings_vs_baseline"] as! [String: Any]
        let monthly = savings["monthly_usd"] as! Double, annual = savings["annual_usd"] as! Double
        let interval = savings["monthly_usd_ci95"] as! [Double]
        #expect(report.contains("- **Savings**: \(Self.dollars(monthly)) a month (\(Self.dollars(interval[0]))–\(Self.dollars(interval[1]))), \(Self.dollars(annual)) a year"))
        let pct = String(format: "%.1f%% less", savings["pct"] as! Double)
        #expect(report.contains(pct))
    }

    @Test func withoutGnuplotTheReportIsStillWritten() throws {
        let out = Scratch().path
        let run = try Self.run(out, environment: ["PATH": "/nonexistent"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: chart monthly-cost skipped: gnuplot is not installed"))
        let report = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(report.contains("## Charts not drawn") && !report.contains("](charts/"))
        #expect(!FileManager.default.fileExists(atPath: out + "/charts"))
    }

    static func isPNG(_ path: String) -> Bool {
        ((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()).starts(with: [0x89, 0x50, 0x4E, 0x47])
    }

    @Test func roiCompareAndSweepDrawTheirCharts() throws {
        let out = Scratch().path
        #expect(try RouteSimBinary.run(["roi", "--scenario", "datasets/roi-scenario.yaml", "--out", out + "/roi"]).status == 0)
        #expect(Self.isPNG(out + "/roi/charts/roi-monthly-cost.png") && Self.isPNG(out + "/roi/charts/roi-payback.png"))
        #expect(try String(contentsOfFile: out + "/roi/roi.md", encoding: .utf8).contains("](charts/roi-payback.png)"))
        let inputs = ["--log", "datasets/support-14d.jsonl.gz", "--models", "datasets/models.yaml"]
        let compare = try RouteSimBinary.run(["compare"] + inputs + ["--policy", "datasets/policies.yaml", "--baseline", "always-large",
                                              "--candidate", "shadow-router", "--out", out + "/compare"])
        #expect(compare.status == 0 && Self.isPNG(out + "/compare/charts/compare.png"))
        let sweep = try RouteSimBinary.run(["sweep"] + inputs + ["--policy", "datasets/policy-two-model.yaml", "--sweep", "small-then-large",
                                            "--param", "steps[0].accept_if.confidence.gte", "--from", "0.5", "--to", "1",
                                            "--steps", "6", "--out", out + "/sweep"])
        #expect(sweep.status == 0 && Self.isPNG(out + "/sweep/charts/sweep-frontier.png"))
    }

    @Test func noChartsMeansNoChartsAndNoWarnings() throws {
        let out = Scratch().path
        let run = try RouteSimBinary.run(Self.demo + ["--out", out, "--no-charts"])
        #expect(run.status == 0 && !run.stderr.contains("warning"))
        let report = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        #expect(!report.contains("](charts/") && !report.contains("## Charts not drawn") && report.contains("## Summary"))
        #expect(!FileManager.default.fileExists(atPath: out + "/charts"))
    }

    /// The bundled SLO file shows what error budgets are for: the recommended policy breaches in
    /// a few windows, not in all of them.
    @Test func theBundledErrorBudgetShowsSomeBreachesNotAll() throws {
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: RouteSimBinary.root + "/reports/support/summary.json"))) as! [String: Any]
        let recommended = (summary["recommendation"] as! [String: Any])["policy"] as! String
        let policy = (summary["policies"] as! [[String: Any]]).first { $0["name"] as? String == recommended }!
        let budget = policy["error_budget"] as! [String: Any]
        let breaches = (budget["breaches"] as! [Any]).count, windows = budget["windows"] as! Int
        #expect(windows == 14 && breaches < windows / 2, "\(breaches) breaches in \(windows) windows")
    }

    /// `make reports` output is committed; regenerating it must change nothing.
    @Test(.tags(.slow), arguments: [("support", demo), ("workflow", workflow), ("capacity", capacity)])
    func committedReportsAreCurrent(report: String, arguments: [String]) throws {
        let out = Scratch().path
        #expect(try RouteSimBinary.run(arguments + ["--out", out]).status == 0)
        let committed = RouteSimBinary.root + "/reports/" + report
        // PNG bytes differ between gnuplot builds; the SVG and text do not.
        for file in ["summary.json", "report.md", "charts/monthly-cost.svg", "charts/timeline.svg", "charts/frontier.svg"] {
            let fresh = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)"))
            let kept = try Data(contentsOf: URL(fileURLWithPath: "\(committed)/\(file)"))
            #expect(fresh == kept, "reports/\(report)/\(file) is stale: run make reports")
        }
    }
}

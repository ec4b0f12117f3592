import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// `compare.json`, `compare.md` (fit for a pull-request comment) and JUnit XML for a comparison.
public enum CompareReport {
    public static func json(_ result: RouteSimAnalysis.ComparisonResult) -> String {
        JSONValue.object([
            ("routesim_version", .string(RouteSim.version)),
            ("baseline", .string(result.baseline)),
            ("candidate", .string(result.candidate)),
            ("verdict", .string(result.passed ? "pass" : "regression")),
            ("alpha", .number(result.alpha)),
            ("seed", .integer(result.seed)),
            ("input", .object([
                ("records", .integer(result.recordsRead)), ("accepted", .integer(result.requests)),
                ("rejected", .integer(result.rejected)),
            ])),
            ("criteria", .array(result.criteria.map { criterion in
                .object([
                    ("name", .string(criterion.name)), ("observed", .number(criterion.observed)),
                    ("limit", .number(criterion.limit)), ("p_value", .number(criterion.pValue)),
                    ("passed", .bool(criterion.passed)),
                ])
            })),
            ("cpi_baseline_usd", .number(result.base.cpiUSD)),
            ("cpi_candidate_usd", .number(result.cand.cpiUSD)),
            ("cpi_diff_usd", .number(result.cpiDiffUSD)),
            ("cpi_diff_ci95", .interval(result.cpiDiffCI95)),
            ("cpi_increase", .number(result.cpiIncrease)),
            ("cpi_increase_ci95", .interval(result.cpiIncreaseCI95)),
            ("success_baseline", .number(result.base.successRate)),
            ("success_candidate", .number(result.cand.successRate)),
            ("success_diff", .number(result.successDiff)),
            ("success_diff_ci95", .interval(result.successDiffCI95)),
            ("discordant", .object([("baseline_only", .integer(result.lost)), ("candidate_only", .integer(result.won))])),
            ("mcnemar_p", .number(result.mcnemarP)),
            ("success_drop_ruled_out", .bool(result.dropRuledOut)),
            ("over_routing_diff", .number(result.cand.overRoutingRate - result.base.overRoutingRate)),
            ("under_routing_diff", .number(result.cand.underRoutingRate - result.base.underRoutingRate)),
            ("latency_p50_diff_ms", latencyDiff(result, \.p50)),
            ("latency_p95_diff_ms", latencyDiff(result, \.p95)),
        ]).rendered()
    }

    private static func latencyDiff(_ result: RouteSimAnalysis.ComparisonResult, _ field: KeyPath<LatencySummary, Double>) -> JSONValue {
        guard let base = result.base.latency, let cand = result.cand.latency else { return .null }
        return .number(cand[keyPath: field] - base[keyPath: field])
    }

    public static func markdown(_ result: RouteSimAnalysis.ComparisonResult, charts: ChartRenderer.Outcome = .init()) -> String {
        var out = "## routesim: \(Markdown.text(result.candidate)) vs \(Markdown.text(result.baseline)) — "
        out += result.passed ? "✅ no regression\n\n" : "❌ regression\n\n"
        out += "Replayed \(Format.grouped(Double(result.requests))) requests through both policies. "
        out += result.passed
            ? "Neither limit is exceeded beyond chance (α = \(result.alpha)).\n\n"
            : "A limit is exceeded by more than chance explains (α = \(result.alpha)); see the failed criteria.\n\n"
        if result.passed && !result.dropRuledOut {
            out += "**Not enough requests to rule out a drop in quality.** The candidate's success rate differs from the baseline's by "
            out += "\(Format.interval(result.successDiffCI95) { signedPoints($0) }) (95% interval), which reaches past the limit of "
            out += "\(signedPoints(-result.maxSuccessDrop)): the gate passes because a larger drop was not shown, not because none exists. "
            out += "Replay more requests to tell.\n\n"
        }
        out += "| Criterion | Observed change | Limit | p-value | Result |\n|---|---:|---:|---:|---|\n"
        for criterion in result.criteria {
            let (observed, limit) = changes(criterion)
            out += "| \(criterion.explanation) | \(observed) | \(limit) | \(pValue(criterion.pValue)) | \(criterion.passed ? "pass" : "**fail**") |\n"
        }
        out += "\n| Paired difference (candidate − baseline) | Value | 95% interval |\n|---|---:|---:|\n"
        out += "| Cost per request | \(Format.usd(result.cpiDiffUSD)) | \(Format.interval(result.cpiDiffCI95, Format.usd)) |\n"
        out += "| Cost per request, relative | \(Format.percent(result.cpiIncrease)) | \(Format.interval(result.cpiIncreaseCI95, Format.percent)) |\n"
        out += "| Success rate | \(signedPoints(result.successDiff)) | \(Format.interval(result.successDiffCI95) { signedPoints($0) }) |\n"
        out += "| Over-routed | \(signedPoints(result.cand.overRoutingRate - result.base.overRoutingRate)) | |\n"
        out += "| Under-routed | \(signedPoints(result.cand.underRoutingRate - result.base.underRoutingRate)) | |\n"
        if let base = result.base.latency, let cand = result.cand.latency {
            out += "| p95 latency | \(Format.fixed(cand.p95 - base.p95, 0)) ms | |\n"
        }
        out += "\nRequests only the baseline answered: \(result.lost); only the candidate: \(result.won) "
        out += "(McNemar \(pEquals(result.mcnemarP))). Cost intervals: paired bootstrap, \(GroupBootstrap.groupCount) id-hash groups, seed \(result.seed).\n"
        let embedded = MarkdownReport.embed(charts)
        return embedded.isEmpty ? out : out + "\n" + embedded
    }

    private static func pValue(_ p: Double) -> String {
        p < 0.0001 ? "< 0.0001" : Format.fixed(p, 4)
    }

    /// "p = 0.0312" or "p < 0.0001".
    private static func pEquals(_ p: Double) -> String {
        p < 0.0001 ? "p < 0.0001" : "p = " + Format.fixed(p, 4)
    }

    /// A change in points with its sign: "+0.05 pts", "−1.20 pts".
    package static func signedPoints(_ fraction: Double) -> String {
        let text = Format.fixed(abs(fraction) * 100, 2)
        return (fraction < 0 && text != "0.00" ? "−" : "+") + text + " pts"
    }

    /// A relative change with its sign: "+2.0%", "−60.1%".
    package static func signedPercent(_ fraction: Double) -> String {
        let text = Format.percent(abs(fraction))
        return (fraction < 0 && text != "0.0%" ? "−" : "+") + text
    }

    /// A criterion's observed change and limit, as candidate − baseline, in the units people read.
    package static func changes(_ criterion: RouteSimAnalysis.ComparisonResult.Criterion) -> (observed: String, limit: String) {
        criterion.name == "cpi_increase"
            ? (signedPercent(criterion.observed), signedPercent(criterion.limit))
            : (signedPoints(-criterion.observed), signedPoints(-criterion.limit))
    }

    /// JUnit XML: one test case per criterion, failed when the criterion fails.
    public static func junit(_ result: RouteSimAnalysis.ComparisonResult) -> String {
        let failures = result.criteria.filter { !$0.passed }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuite name=\"routesim compare \(xml(result.candidate)) vs \(xml(result.baseline))\" tests=\"\(result.criteria.count)\" failures=\"\(failures)\">\n"
        for criterion in result.criteria {
            out += "  <testcase classname=\"routesim.compare\" name=\"\(criterion.name)\""
            if criterion.passed {
                out += "/>\n"
            } else {
                let (observed, limit) = changes(criterion)
                let message = "\(criterion.explanation): observed change \(observed), limit \(limit), \(pEquals(criterion.pValue)) < alpha \(result.alpha)"
                out += ">\n    <failure message=\"\(xml(message))\"/>\n  </testcase>\n"
            }
        }
        return out + "</testsuite>\n"
    }

    private static func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

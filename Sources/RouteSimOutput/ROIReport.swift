import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// `roi.json` (docs/commands.md keys) and `roi.md`, a page a manager can read.
public enum ROIReport {
    public static func json(_ roi: ROIResult) -> String {
        JSONValue.object([
            ("routesim_version", .string(RouteSim.version)),
            ("monthly_requests", .number(roi.scenario.monthlyRequests)),
            ("baseline", .string(roi.scenario.baseline)),
            ("baseline_monthly_usd", .number(roi.baselineMonthlyUSD)),
            ("monthly_usd", .number(roi.monthlyUSD)),
            ("savings_monthly_usd", .number(roi.savingsMonthlyUSD)),
            ("savings_pct", .number(roi.savingsPct)),
            ("savings_annual_usd", .number(roi.savingsAnnualUSD)),
            ("engineering_cost_usd", .number(roi.scenario.engineeringCostUSD)),
            ("payback_months", .number(roi.paybackMonths)),
            ("payback_months_with_rollout", .number(roi.paybackMonthsWithRollout)),
            ("payback_note", roi.paybackNote.map(JSONValue.string) ?? .null),
            ("by_model", .object(roi.byModel.map { share in
                (share.model, .object([("requests", .number(share.requests)), ("monthly_usd", .number(share.monthlyUSD))]))
            })),
        ]).rendered()
    }

    public static func markdown(_ roi: ROIResult, charts: ChartRenderer.Outcome = .init()) -> String {
        let scenario = roi.scenario
        var out = "# What routing would save\n\n"
        out += "Today every one of the \(Format.grouped(scenario.monthlyRequests)) monthly requests goes to **\(Markdown.text(scenario.baseline))**, "
        out += "costing **\(Format.usd(roi.baselineMonthlyUSD)) a month**. "
        out += "With the new traffic mix the bill would be **\(Format.usd(roi.monthlyUSD)) a month**"
        if roi.savingsMonthlyUSD > 0 {
            out += ": a saving of **\(Format.usd(roi.savingsMonthlyUSD)) a month** (\(Format.fixed(roi.savingsPct ?? 0, 1))%), "
            out += "\(Format.usd(roi.savingsAnnualUSD)) a year.\n\n"
        } else {
            out += ", which saves nothing.\n\n"
        }
        if let cost = scenario.engineeringCostUSD {
            if let months = roi.paybackMonths {
                out += "The \(Format.usd(cost)) of engineering pays for itself in **\(Format.fixed(months, 1)) months**"
                if let ramp = roi.paybackMonthsWithRollout {
                    let shares = scenario.rollout.map { Format.percent($0) }.joined(separator: " → ")
                    out += ", or \(Format.fixed(ramp, 1)) months with the rollout (\(shares) of traffic in successive months)"
                }
                out += ".\n\n"
            } else {
                out += "The \(Format.usd(cost)) of engineering never pays back, because the new design saves nothing.\n\n"
            }
        }
        out += "| Model | Share of requests | Requests a month | Cost a month |\n|---|---:|---:|---:|\n"
        for (share, mix) in zip(roi.byModel, scenario.mix) {
            out += "| \(share.model) | \(Format.percent(mix.share)) | \(Format.grouped(share.requests)) | \(Format.usd(share.monthlyUSD)) |\n"
        }
        out += "| **Total** | 100.0% | \(Format.grouped(scenario.monthlyRequests)) | \(Format.usd(roi.monthlyUSD)) |\n\n"
        out += MarkdownReport.embed(charts)
        out += "These figures are arithmetic on the scenario's assumptions (volume, prices, average tokens, mix); "
        out += "they assume quality holds. `routesim simulate` on your own logs checks that.\n"
        return out
    }
}

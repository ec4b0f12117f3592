import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// `offpolicy.json` and a Markdown table of off-policy estimates.
public enum OffPolicyReport {
    public static func json(_ results: [OffPolicyEstimate.Result]) -> String {
        JSONValue.object([
            ("routesim_version", .string(RouteSim.version)),
            ("method", .string("IPS and self-normalised IPS with w = 1[policy picks served_by] / propensity; DR with the mock as reward model; 95% intervals by group bootstrap")),
            ("policies", .array(results.map { result in
                .object([
                    ("name", .string(result.policy)), ("requests", .integer(result.requests)), ("matched", .number(result.matched)),
                    ("ips", .object([
                        ("success_rate", .number(result.ipsSuccess)), ("success_ci95", .interval(result.ipsSuccessCI95)),
                        ("cpi_usd", .number(result.ipsCPI)), ("cpi_ci95", .interval(result.ipsCPICI95)),
                    ])),
                    ("snips", .object([
                        ("success_rate", .number(result.snipsSuccess)), ("success_ci95", .interval(result.snipsSuccessCI95)),
                        ("cpi_usd", .number(result.snipsCPI)), ("cpi_ci95", .interval(result.snipsCPICI95)),
                    ])),
                    ("dr", .object([("success_rate", .number(result.drSuccess)), ("success_ci95", .interval(result.drSuccessCI95))])),
                ])
            })),
        ]).rendered()
    }

    public static func markdown(_ results: [OffPolicyEstimate.Result]) -> String {
        var out = "| Policy | Matched | Success (SNIPS, 95%) | Success (IPS) | Success (DR) | CPI (SNIPS, 95%) |\n|---|---:|---:|---:|---:|---:|\n"
        for result in results {
            out += "| \(Markdown.text(result.policy)) | \(Format.percent(result.matched)) | \(Format.percent(result.snipsSuccess)) (\(Format.interval(result.snipsSuccessCI95, Format.percent))) | "
            out += "\(Format.percent(result.ipsSuccess)) | \(Format.percent(result.drSuccess)) | "
            out += "\(Format.usd(result.snipsCPI)) (\(Format.interval(result.snipsCPICI95, Format.usd))) |\n"
        }
        return out
    }
}

import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// `sweep.csv` (one row a setting) and `sweep.json` (the frontier and its summary figures).
public enum SweepReport {
    public static func csv(_ result: SweepResult) -> String {
        let pareto = Set(result.frontier.pareto), hull = Set(result.frontier.hull)
        var out = "value,cpi_usd,success_rate,strong_share,pgr,pareto,hull\n"
        for (index, point) in result.frontier.points.enumerated() {
            let share = point.strongShare.map { "\($0)" } ?? "", pgr = point.pgr.map { "\($0)" } ?? ""
            out += "\(point.value),\(point.cpiUSD),\(point.successRate),\(share),\(pgr),\(pareto.contains(index)),\(hull.contains(index))\n"
        }
        return out
    }

    public static func json(_ result: SweepResult, targetSuccess: Double?) -> String {
        let frontier = result.frontier
        let cheapest = targetSuccess.flatMap { frontier.cheapest(meeting: $0) }
        return JSONValue.object([
            ("routesim_version", .string(RouteSim.version)),
            ("policy", .string(result.plan.policyName)),
            ("parameter", .string(result.plan.parameter.description)),
            ("requests", .integer(result.requests)),
            ("rejected", .integer(result.rejected)),
            ("points", .array(frontier.points.map { point in
                .object([
                    ("value", .number(point.value)), ("cpi_usd", .number(point.cpiUSD)),
                    ("success_rate", .number(point.successRate)), ("strong_share", .number(point.strongShare)),
                    ("pgr", .number(point.pgr)),
                ])
            })),
            ("pareto", .array(frontier.pareto.map { .number(frontier.points[$0].value) })),
            ("upper_hull", .array(frontier.hull.map { .number(frontier.points[$0].value) })),
            ("target_success", .number(targetSuccess)),
            ("cheapest_meeting_target", cheapest.map { index in
                .object([
                    ("value", .number(frontier.points[index].value)), ("cpi_usd", .number(frontier.points[index].cpiUSD)),
                    ("success_rate", .number(frontier.points[index].successRate)),
                ])
            } ?? .null),
            ("two_model", .object([
                ("weak", result.weakName.map(JSONValue.string) ?? .null),
                ("strong", result.strongName.map(JSONValue.string) ?? .null),
                ("weak_success", .number(result.weakSuccess)), ("strong_success", .number(result.strongSuccess)),
                ("cpt50", .number(frontier.callsToReach(0.5))), ("cpt80", .number(frontier.callsToReach(0.8))),
                ("apgr", .number(frontier.averagePGR)),
            ])),
        ]).rendered()
    }
}

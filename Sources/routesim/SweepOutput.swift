import RouteSimCore

/// What `sweep` writes for a frontier, and `merge` for the partials of a `sweep` run:
/// sweep.csv, sweep.json and the frontier chart; then it says what it found.
enum SweepOutput {
    static func write(_ result: SweepResult, targetSuccess: Double?, into directory: OutputDirectory, charts: Bool) throws {
        try OutputFiles.write(SweepReport.csv(result), to: "\(directory.path)/sweep.csv")
        try OutputFiles.write(SweepReport.json(result, targetSuccess: targetSuccess), to: "\(directory.path)/sweep.json")
        let drawn = try (charts ? ChartRenderer() : .off).render(SweepCharts.charts(for: result, others: result.others, targetSuccess: targetSuccess),
                                                                 into: directory.path)
        try directory.commit()
        warnAboutSkipped(drawn)
        let (param, policy) = (result.plan.parameter.description, result.plan.policyName)
        print("swept \(param) of \(policy) over \(result.plan.values.count) settings and \(result.requests) requests")
        if let target = targetSuccess {
            if let index = result.frontier.cheapest(meeting: target) {
                let point = result.frontier.points[index]
                print("cheapest setting with success >= \(target): \(param) = \(point.value) (CPI \(point.cpiUSD), success \(point.successRate))")
            } else {
                print("no setting reaches success \(target)")
            }
        }
        let out = directory.final
        print("wrote \(out)/sweep.csv, \(out)/sweep.json" + (drawn.rendered.isEmpty ? "" : " and \(out)/charts/sweep-frontier.png"))
    }
}

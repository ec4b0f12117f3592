import RouteSimAnalysis
import RouteSimModel

/// The report's capacity section (docs/capacity.md): what each policy's self-hosted fleets cost
/// and did on the log's own arrival times; nothing when the catalog has no self-hosted model.
enum CapacitySection {
    static func render(_ summary: SimulationSummary, charts: ChartRenderer.Outcome) -> String {
        let rows = summary.policies.flatMap { policy in policy.fleets.map { (policy: policy.name, fleet: $0) } }
        guard !rows.isEmpty else { return "" }
        var out = "## Self-hosted capacity\n\n"
        out += "Each policy's calls to each self-hosted model were run, in the order the log received them, through that model's "
        out += "fleet: replicas billed by the GPU-hour from the moment they start (cold starts included), a request waiting when every "
        out += "replica is busy, the autoscaler adding and removing replicas. The fleet's cost is part of each policy's cost above, "
        out += "spread evenly over its requests.\n\n"
        out += "| Policy | Model | Calls | GPU-hours | GPU cost | Per request | Replicas (mean / peak) | Busy | Queue wait p95 | Cold starts |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for (policy, fleet) in rows {
            out += "| \(Markdown.text(policy)) | \(Markdown.text(fleet.model)) | \(Format.grouped(Double(fleet.calls))) | "
            out += "\(Format.grouped(fleet.gpuHours, places: 1)) | \(Format.usd(fleet.costUSD)) | \(Format.usd(fleet.costPerRequestUSD)) | "
            out += "\(Format.fixed(fleet.meanReplicas, 2)) / \(fleet.peakReplicas) | \(Format.percent(fleet.utilisation)) | "
            out += "\(Format.milliseconds(fleet.waitP95Ms)) | \(fleet.coldStarts) |\n"
        }
        let waited = rows.reduce(0) { $0 + $1.fleet.callsWaitingForColdStart }
        if waited > 0 {
            out += "\n\(Format.grouped(Double(waited))) calls waited for a replica to start (a cold start).\n"
        }
        if summary.arrivalScale != 1 {
            out += "\nThe fleets saw the log's requests arrive \(Format.fixed(summary.arrivalScale, 2)) times as fast as they did (`--arrival-scale`).\n"
        }
        let alternatives = rows.filter { $0.fleet.apiAlternativeCostUSD != nil }
        if !alternatives.isEmpty {
            out += "\nSelf-hosting against the same model from an API (the catalog's `api_alternative` prices), for the same calls:\n\n"
            out += "| Policy | Model | Fleet cost | API cost | Self-hosting is cheaper from |\n|---|---|---:|---:|---|\n"
            for (policy, fleet) in alternatives {
                let from: String
                if let scale = fleet.breakEvenScale {
                    let volume = summary.monthlyVolume.map { " (about \(Format.grouped($0 / summary.arrivalScale * scale)) requests a month)" } ?? ""
                    from = "\(Format.fixed(scale, 2))× the log's traffic\(volume)"
                } else {
                    from = "not within \(Format.fixed(FleetMetrics.trafficScales.last!, 0))× the log's traffic"
                }
                out += "| \(Markdown.text(policy)) | \(Markdown.text(fleet.model)) | \(Format.usd(fleet.costUSD)) | \(Format.usd(fleet.apiAlternativeCostUSD)) | \(from) |\n"
            }
        }
        return out + "\n" + MarkdownReport.chart("capacity-replicas", charts) + MarkdownReport.chart("capacity-traffic", charts)
    }
}

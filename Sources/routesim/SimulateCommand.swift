import ArgumentParser
import Foundation
import RouteSimCore

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay logs through policies; write summary.json and report.md.",
        discussion: """
            Every request in the logs is replayed through every policy against the outcomes the log \
            recorded for each model. Writes OUT/summary.json (for machines) and OUT/report.md (for people).

            Example:
              routesim simulate --log week.jsonl --models models.yaml \\
                --policy policies.yaml --baseline always-large \\
                --engineering-cost 300000 --out out/
            """)

    @OptionGroup var replay: ReplayOptions

    @Option(help: "The policy savings are measured against (default: the single-model policy on the top tier).")
    var baseline: String?

    @Option(help: "Requests per month for monthly figures (default: the log's own rate scaled to 30 days).")
    var monthlyVolume: Double?

    @Option(help: "Engineering cost in USD to pay back; gives payback months.")
    var engineeringCost: Double?

    @Option(help: "Rollout ramp for payback: share of traffic on the policy in months 1, 2, … (e.g. 0.1,0.5,1).",
            transform: { text in
                try text.split(separator: ",").map { part in
                    guard let share = Double(part), (0...1).contains(share) else {
                        throw ValidationError("--rollout takes shares between 0 and 1 separated by commas, e.g. 0.1,0.5,1")
                    }
                    return share
                }
            })
    var rollout: [Double] = []

    @Flag(inversion: .prefixedNo, help: "Draw the report's charts with gnuplot (PNG and SVG in OUT/charts).")
    var charts = true

    @Option(help: "With --mock: replay this many more times with derived seeds, for intervals over the mock's draws.")
    var replicas: Int = 0

    @Option(help: "SLO file (YAML) for error budgets: window, success, routing_accuracy, per-model targets.")
    var slo: String?

    @Flag(help: "Exit 1 when any policy breaches an SLO in any window (needs --slo).")
    var failOnBreach = false

    @Option(help: "Self-hosted fleets see the log's requests arrive this many times as fast (0.001 to 1,000; e.g. 4: four times the traffic); monthly figures from the log's rate grow with it.")
    var arrivalScale: Double = 1

    @OptionGroup var partial: PartialOptions

    func validate() throws {
        if replicas < 0 || (replicas > 0 && replay.mock == nil) { throw ValidationError("--replicas N needs N >= 0 and --mock FILE") }
        if failOnBreach && slo == nil { throw ValidationError("--fail-on-breach needs --slo FILE") }
        if let monthlyVolume, monthlyVolume <= 0 { throw ValidationError("--monthly-volume must be > 0") }
        if let engineeringCost, engineeringCost < 0 { throw ValidationError("--engineering-cost must be >= 0") }
        // Beyond these the fleet's clock, its hourly windows and its looks leave the numbers it can count.
        if !(0.001...1000).contains(arrivalScale) {
            throw ValidationError("--arrival-scale must be between 0.001 and 1,000, such as 4 (four times the log's traffic)")
        }
        if partial.emitPartial != nil && (replicas > 0 || failOnBreach || replay.recordRun) {
            throw ValidationError("--emit-partial writes a partial, not a report: --replicas, --fail-on-breach and --record-run belong to the merge or to a run on one machine")
        }
    }

    func run() throws {
        var breaches = 0
        try runReportingErrors {
            var simulation = Simulation(inputs: replay.inputs)
            simulation.options = SimulationSummary.Options(baseline: baseline, monthlyVolume: monthlyVolume, engineeringCostUSD: engineeringCost)
            simulation.replicas = replicas
            simulation.options.rollout = rollout
            simulation.options.arrivalScale = arrivalScale
            simulation.options.latencyCurves = charts
            simulation.sloPath = slo
            simulation.progress = terminalProgress("replaying")
            if let path = partial.emitPartial {
                let rejected = try partial.rejectedLog(skipInvalid: replay.skipInvalid)
                let result = try SimulationPartial.write(simulation, shard: partial.target, to: path) { try rejected?.write($0) }
                finishProgress()
                partial.report(result)
                return
            }
            let directory = try OutputDirectory(replay.out)
            let rejected = replay.skipInvalid ? try RejectedLog(path: "\(directory.path)/rejected.jsonl") : nil
            let summary = try simulation.run { try rejected?.write($0) }
            let drawn = try SimulationReport.write(summary, renderer: charts ? ChartRenderer() : .off, into: directory.path)
            try directory.commit()
            finishProgress()
            warnAboutSkipped(drawn)
            print("replayed \(summary.accepted) requests through \(summary.policies.count) policies (\(summary.rejected) rejected)")
            print("wrote \(replay.out)/summary.json and \(replay.out)/report.md")
            if slo != nil { print("\(summary.breachCount) error-budget breaches") }
            try replay.recordIfAsked(command: "simulate", json: SummaryJSON.render(summary))
            breaches = summary.breachCount
        }
        if failOnBreach && breaches > 0 { throw ExitCode(1) }
    }
}

import ArgumentParser
import RouteSimCore

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Vary one numeric policy parameter and write the cost–success frontier.",
        discussion: """
            Replays the logs once for all settings. --param is a path into the policy's YAML: \
            steps[0].accept_if.confidence.gte, confidence.use_at_least, rules[1].if.input_tokens.gt. \
            Writes OUT/sweep.csv and OUT/sweep.json: every setting's CPI and success rate, the \
            Pareto-optimal settings, the upper convex hull, the cheapest setting meeting \
            --target-success and, for two-model policies, RouteLLM's CPT(50%), CPT(80%) and APGR.

            Example:
              routesim sweep --log week.jsonl --models models.yaml \\
                --policy policies.yaml --sweep cascade-v1 \\
                --param steps[0].accept_if.confidence.gte --from 0.5 --to 1 --steps 51
            """)

    @OptionGroup var replay: ReplayOptions

    @Option(name: .customLong("sweep"), help: "The policy to vary.")
    var policyName: String

    @Option(help: "The parameter's path in the policy's YAML.")
    var param: String

    @Option(help: "First value.")
    var from: Double

    @Option(help: "Last value.")
    var to: Double

    @Option(help: "Number of evenly spaced values, both ends included.")
    var steps: Int = 21

    @Option(help: "Report the cheapest setting whose success rate reaches this (0–1).")
    var targetSuccess: Double?

    @OptionGroup var partial: PartialOptions

    func validate() throws {
        guard steps >= 1, steps <= 100_000 else { throw ValidationError("--steps must be between 1 and 100000") }
        if let targetSuccess, !(0...1).contains(targetSuccess) { throw ValidationError("--target-success must be between 0 and 1") }
    }

    @Flag(inversion: .prefixedNo, help: "Draw the frontier chart with gnuplot (PNG and SVG in OUT/charts).")
    var charts = true

    func run() throws {
        try runReportingErrors {
            let sweep = Sweep(inputs: replay.inputs, policyName: policyName, parameter: param,
                              values: Sweep.grid(from: from, to: to, count: steps))
            if let path = partial.emitPartial {
                let rejected = try partial.rejectedLog(skipInvalid: replay.skipInvalid)
                partial.report(try SimulationPartial.write(sweep, targetSuccess: targetSuccess, shard: partial.target, to: path) { try rejected?.write($0) })
                return
            }
            let directory = try OutputDirectory(replay.out)
            let rejected = replay.skipInvalid ? try RejectedLog(path: "\(directory.path)/rejected.jsonl") : nil
            let result = try sweep.run { try rejected?.write($0) }
            try SweepOutput.write(result, targetSuccess: targetSuccess, into: directory, charts: charts)
        }
    }
}

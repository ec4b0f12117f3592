import ArgumentParser
import Foundation
import RouteSimCore

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "CI gate: judge a candidate policy against a baseline on the same requests.",
        discussion: """
            Both policies replay the same requests, so differences are paired. The gate fails \
            (exit 1) only when a limit is exceeded by more than chance explains at --alpha: the \
            relative CPI increase by a paired bootstrap, the success-rate drop by McNemar's exact \
            test (no margin) or a paired Wald test (with a margin). Writes OUT/compare.json and \
            OUT/compare.md (also appended to $GITHUB_STEP_SUMMARY when set).

            Example:
              routesim compare --log week.jsonl --models models.yaml \\
                --policy policies.yaml --baseline router-v1 \\
                --candidate router-v2 --junit out/routesim.xml
            """)

    @OptionGroup var replay: ReplayOptions

    @Option(help: "The policy in production today.")
    var baseline: String

    @Option(help: "The policy proposed to replace it.")
    var candidate: String

    @Option(help: "Largest tolerated relative CPI increase (0.02 = 2%).")
    var maxCPIIncrease: Double = 0.02

    @Option(help: "Largest tolerated drop in success rate, absolute (0.005 = half a point).")
    var maxSuccessDrop: Double = 0.005

    @Option(help: "Significance level: a limit fails only when exceeded with p < alpha.")
    var alpha: Double = 0.05

    @Option(help: "Also write JUnit XML here (one test case per criterion).")
    var junit: String?

    @OptionGroup var partial: PartialOptions

    func validate() throws {
        guard maxCPIIncrease >= 0, maxSuccessDrop >= 0 else { throw ValidationError("limits must be >= 0") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
        if partial.emitPartial != nil && (junit != nil || replay.recordRun) {
            throw ValidationError("--emit-partial writes a partial, not a verdict: --junit belongs to the merge, --record-run to a run on one machine")
        }
    }

    @Flag(inversion: .prefixedNo, help: "Draw the charts with gnuplot (PNG and SVG in OUT/charts).")
    var charts = true

    func run() throws {
        var passed = true
        try runReportingErrors {
            var comparison = PolicyComparison(inputs: replay.inputs, baseline: baseline, candidate: candidate)
            comparison.maxCPIIncrease = maxCPIIncrease
            comparison.maxSuccessDrop = maxSuccessDrop
            comparison.alpha = alpha
            if let path = partial.emitPartial {
                let rejected = try partial.rejectedLog(skipInvalid: replay.skipInvalid)
                partial.report(try SimulationPartial.write(comparison, shard: partial.target, to: path) { try rejected?.write($0) })
                return
            }
            let directory = try OutputDirectory(replay.out)
            let rejected = replay.skipInvalid ? try RejectedLog(path: "\(directory.path)/rejected.jsonl") : nil
            let result = try comparison.run { try rejected?.write($0) }
            try ComparisonOutput.write(result, into: directory, charts: charts, junit: junit)
            try replay.recordIfAsked(command: "compare", json: CompareReport.json(result))
            passed = result.passed
        }
        if !passed { throw ExitCode(1) }
    }
}

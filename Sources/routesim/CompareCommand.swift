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

    func validate() throws {
        guard maxCPIIncrease >= 0, maxSuccessDrop >= 0 else { throw ValidationError("limits must be >= 0") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
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
            let directory = try OutputDirectory(replay.out)
            let rejected = replay.skipInvalid ? try RejectedLog(path: "\(directory.path)/rejected.jsonl") : nil
            let result = try comparison.run { try rejected?.write($0) }
            let charts = try (charts ? ChartRenderer() : .off).render(CompareCharts.charts(for: result), into: directory.path)
            warnAboutSkipped(charts)
            let markdown = CompareReport.markdown(result, charts: charts)
            try OutputFiles.write(CompareReport.json(result), to: "\(directory.path)/compare.json")
            try OutputFiles.write(markdown, to: "\(directory.path)/compare.md")
            try directory.commit()
            try replay.recordIfAsked(command: "compare", json: CompareReport.json(result))
            if let junit { try OutputFiles.write(CompareReport.junit(result), to: junit) }
            if let summary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
                // A job summary shows no local images: the text alone. Failing to write it is no regression.
                do {
                    try OutputFiles.append(CompareReport.markdown(result, charts: ChartRenderer.Outcome()), to: summary)
                } catch {
                    FileHandle.standardError.write(Data("routesim: warning: \(error) (GITHUB_STEP_SUMMARY); the verdict stands\n".utf8))
                }
            }
            print(markdown)
            passed = result.passed
        }
        if !passed { throw ExitCode(1) }
    }
}

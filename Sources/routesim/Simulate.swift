import ArgumentParser
import Foundation
import RouteSimCore

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay logs through policies; write summary.json and report.md.",
        discussion: """
            Every request in the logs is replayed through every policy against the outcomes the log \
            recorded for each model. Writes OUT/summary.json (for machines) and OUT/report.md (for people).

            Example:
              routesim simulate --log week.jsonl --models models.yaml --policy policies.yaml \\
                --baseline always-large --engineering-cost 300000 --out out/
            """)

    @Option(name: .customLong("log"), parsing: .upToNextOption, help: "Request logs: canonical JSONL (.jsonl) or long CSV (.csv), optionally .gz.")
    var logs: [String]

    @Option(name: .customLong("models"), help: "The model catalog (YAML): tiers and prices.")
    var models: String

    @Option(name: .customLong("policy"), parsing: .upToNextOption, help: "Policy files (YAML; several documents per file allowed).")
    var policies: [String]

    @Option(help: "The policy savings are measured against (default: the single-model policy on the top tier).")
    var baseline: String?

    @Option(help: "Requests per month for monthly figures (default: the log's own rate scaled to 30 days).")
    var monthlyVolume: Double?

    @Option(help: "Engineering cost in USD to pay back; gives payback months.")
    var engineeringCost: Double?

    @Option(help: "Seed for random draws (bootstrap, mocks).")
    var seed: Int = 1

    @Flag(help: "Write invalid records to OUT/rejected.jsonl and go on, instead of stopping at the first.")
    var skipInvalid = false

    @Option(help: "Worker threads (default: one per core). Results do not depend on it.")
    var threads: Int?

    @Option(help: "Output directory.")
    var out: String = "out"

    func validate() throws {
        if let monthlyVolume, monthlyVolume <= 0 { throw ValidationError("--monthly-volume must be > 0") }
        if let engineeringCost, engineeringCost < 0 { throw ValidationError("--engineering-cost must be >= 0") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try runReportingErrors {
            var simulation = Simulation(logs: logs, catalogPath: models, policyPaths: policies)
            simulation.options = SimulationSummary.Options(baseline: baseline, monthlyVolume: monthlyVolume, engineeringCostUSD: engineeringCost)
            simulation.options.seed = seed
            simulation.skipInvalid = skipInvalid
            if let threads { simulation.threads = threads }
            simulation.progress = terminalProgress("replaying")
            let summary = try simulation.run(outputDirectory: out)
            finishProgress()
            print("replayed \(summary.accepted) requests through \(summary.policies.count) policies (\(summary.rejected) rejected)")
            print("wrote \(out)/summary.json and \(out)/report.md")
        }
    }
}

import Foundation

/// The `simulate` job: load the catalog and policies, replay the logs, summarise, write outputs.
public struct Simulation {
    public var logs: [String]
    public var catalogPath: String
    public var policyPaths: [String]
    /// An SLO file for error budgets.
    public var sloPath: String?
    public var options = SimulationSummary.Options()
    public var skipInvalid = false
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var progress: ((Int) -> Void)?

    public init(logs: [String], catalogPath: String, policyPaths: [String]) {
        self.logs = logs
        self.catalogPath = catalogPath
        self.policyPaths = policyPaths
    }

    /// Runs the replay and writes `summary.json`, `report.md` (and `rejected.jsonl` when skipping) to `outputDirectory`.
    @discardableResult
    public func run(outputDirectory: String) throws -> SimulationSummary {
        let catalog = try ModelCatalog.load(path: catalogPath)
        let policies = try PolicyLoader.load(paths: policyPaths, catalog: catalog)
        var options = self.options
        options.slo = try sloPath.map { try SLOSpec.load(path: $0, catalog: catalog) }
        try OutputFiles.makeDirectory(outputDirectory)
        var replay = Replay(catalog: catalog, policies: policies)
        replay.skipInvalid = skipInvalid
        replay.threads = threads
        let baseline = try SimulationSummary.baselineName(options.baseline, policies: policies, catalog: catalog)
        replay.pairedPolicy = policies.firstIndex { $0.name == baseline }
        replay.progress = progress
        replay.windowSeconds = options.slo?.windowSeconds
        let rejectedLog = skipInvalid ? try RejectedLog(path: "\(outputDirectory)/rejected.jsonl") : nil
        let result = try replay.run(files: logs) { try rejectedLog?.write($0) }
        let summary = try SimulationSummary(result: result, policies: policies, catalog: catalog, options: options)
        try OutputFiles.write(SummaryJSON.render(summary), to: "\(outputDirectory)/summary.json")
        try OutputFiles.write(MarkdownReport.render(summary), to: "\(outputDirectory)/report.md")
        return summary
    }
}

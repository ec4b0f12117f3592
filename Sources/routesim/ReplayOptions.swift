import ArgumentParser
import RouteSimCore

/// The inputs (`InputOptions`) and the run options every replaying command shares.
struct ReplayOptions: ParsableArguments {
    @OptionGroup var input: InputOptions

    @Option(name: .customLong("policy"), parsing: .upToNextOption,
            help: "Policy files (YAML; several documents per file allowed).")
    var policies: [String]

    @Option(help: "Seed for random draws (bootstrap, mocks); overrides the mock file's seed. (default: the mock file's, else 1)")
    var seed: Int?

    @Option(help: "Mocked outcomes (YAML) for models the log did not record.")
    var mock: String?

    @Flag(help: "Write invalid records to OUT/rejected.jsonl and go on, instead of stopping at the first.")
    var skipInvalid = false

    @Option(help: "Threads to use at most (default: one per core). Results do not depend on it.")
    var threads: Int?

    @Option(help: ArgumentHelp("Keep up to N latencies a policy for exact percentiles; a policy with more gets its percentiles from a sketch, within 0.5% (docs/statistics.md). Every latency is kept when the catalog has self-hosted models.", valueName: "n"))
    var exactLatencies = Replay.defaultExactLatencies

    @Option(help: "Output directory.")
    var out: String = "out"

    @Flag(help: "With --db: record this run (time, inputs, policy hash, result) in the store's history.")
    var recordRun = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if exactLatencies < 0 { throw ValidationError("--exact-latencies must be 0 or more") }
        // A process-wide setting, made once as the arguments are read, before any work.
        if let threads { Parallel.threadLimit = threads }
        try input.requireRecords()
        if recordRun && input.db == nil { throw ValidationError("--record-run records into a store: it needs --db") }
    }

    /// The job inputs these options name: the one place the command line turns into them.
    var inputs: ReplayInputs {
        var inputs = input.replayInputs(policies: policies)
        inputs.mockPath = mock
        inputs.seed = seed
        inputs.skipInvalid = skipInvalid
        inputs.exactLatencies = exactLatencies
        if let threads { inputs.threads = threads }
        return inputs
    }

    /// Records the run in the store's history when asked to.
    func recordIfAsked(command: String, json: String) throws {
        guard recordRun, let store = input.store else { return }
        let history = RunHistory(store: try RecordStore(path: store.path))
        try history.record(command: command, input: try RunHistory.inputFingerprint(logs: input.logs, store: store),
                           policyFiles: policies, summaryJSON: json)
    }
}

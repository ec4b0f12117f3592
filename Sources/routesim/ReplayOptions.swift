import ArgumentParser
import RouteSimCore

/// The inputs and run options every replaying command shares.
struct ReplayOptions: ParsableArguments {
    @Option(name: .customLong("log"), parsing: .upToNextOption,
            help: "Request logs: canonical JSONL (.jsonl) or long CSV (.csv), optionally .gz.")
    var logs: [String] = []

    @OptionGroup var logFormat: FormatOption

    @Option(help: "Replay from a store made by `routesim ingest` instead of --log files.")
    var db: String?

    @Option(help: "With --db: only requests at or after this RFC 3339 time.")
    var since: String?

    @Option(help: "With --db: only requests before this RFC 3339 time.")
    var until: String?

    @Option(name: .customLong("category"), parsing: .upToNextOption, help: "With --db: only these categories.")
    var categories: [String] = []

    @Flag(help: "With --db: record this run (time, inputs, policy hash, result) in the store's history.")
    var recordRun = false

    @Option(name: .customLong("models"), help: "The model catalog (YAML): tiers and prices.")
    var models: String

    @Option(name: .customLong("policy"), parsing: .upToNextOption,
            help: "Policy files (YAML; several documents per file allowed).")
    var policies: [String]

    @Option(help: "Seed for random draws (bootstrap, mocks); overrides the mock file's seed. (default: the mock file's, else 1)")
    var seed: Int?

    @Option(help: "A LiteLLM price table (model_prices_and_context_window.json) for catalog entries with price_from:.")
    var prices: String?

    @Option(help: "Mocked outcomes (YAML) for models the log did not record.")
    var mock: String?

    @Flag(help: "Write invalid records to OUT/rejected.jsonl and go on, instead of stopping at the first.")
    var skipInvalid = false

    @Option(help: "Worker threads (default: one per core). Results do not depend on it.")
    var threads: Int?

    @Option(help: "Output directory.")
    var out: String = "out"

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard logs.isEmpty != (db == nil) else { throw ValidationError("give either --log FILE… or --db FILE") }
        if db == nil, since != nil || until != nil || !categories.isEmpty {
            throw ValidationError("--since, --until and --category filter a store: they need --db")
        }
        for (flag, value) in [("--since", since), ("--until", until)] {
            if let value, RouteSim.parseTime(value) == nil { throw ValidationError("\(flag) \(value) is not an RFC 3339 time such as 2026-10-01T00:00:00Z") }
        }
        if recordRun && db == nil { throw ValidationError("--record-run records into a store: it needs --db") }
    }

    /// The job inputs these options name: the one place the command line turns into them.
    var inputs: ReplayInputs {
        var inputs = ReplayInputs(logs: logs, catalogPath: models, policyPaths: policies)
        inputs.store = store
        inputs.format = logFormat.format
        inputs.pricesPath = prices
        inputs.mockPath = mock
        inputs.seed = seed
        inputs.skipInvalid = skipInvalid
        if let threads { inputs.threads = threads }
        return inputs
    }

    /// The store and its filter, when replaying from one.
    var store: (path: String, query: StoreQuery)? {
        db.map { ($0, StoreQuery(since: since.flatMap(RouteSim.parseTime), until: until.flatMap(RouteSim.parseTime), categories: categories)) }
    }

    /// Records the run in the store's history when asked to.
    func recordIfAsked(command: String, json: String) throws {
        guard recordRun, let store else { return }
        let history = RunHistory(store: try RecordStore(path: store.path))
        try history.record(command: command, input: try RunHistory.inputFingerprint(logs: logs, store: store),
                           policyFiles: policies, summaryJSON: json)
    }
}

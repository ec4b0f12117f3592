import ArgumentParser
import RouteSimCore

/// Where records come from and how to read them — the options every command that reads a log
/// shares: `--log` files or a `--db` store (with `--since`, `--until`, `--category`), `--format`,
/// the `--models` catalog and its `--prices` table.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("log"), parsing: .upToNextOption,
            help: "Request logs (canonical JSONL, long CSV and the formats of --format), optionally .gz.")
    var logs: [String] = []

    @OptionGroup var logFormat: FormatOption

    @Option(help: "Read the records of a store made by `routesim ingest` instead of --log files.")
    var db: String?

    @Option(help: "With --db: only requests at or after this RFC 3339 time.")
    var since: String?

    @Option(help: "With --db: only requests before this RFC 3339 time.")
    var until: String?

    @Option(name: .customLong("category"), parsing: .upToNextOption, help: "With --db: only these categories.")
    var categories: [String] = []

    @Option(name: .customLong("models"), help: "The model catalog (YAML): tiers and prices.")
    var models: String

    @Option(help: "A LiteLLM price table (model_prices_and_context_window.json) for catalog entries with price_from:.")
    var prices: String?

    @Option(name: .customLong("reprice-at"),
            help: "Price every call at the catalog's prices in force on this date (2026-12-01, or an RFC 3339 time), recorded costs set aside: what the log would cost at that date's prices.")
    var repriceAt: String?

    /// `--reprice-at` as seconds since the epoch: a date means 00:00 UTC.
    private var repriceTime: Double? {
        repriceAt.flatMap(RouteSim.parseDateOrTime)
    }

    func validate() throws {
        if let repriceAt, repriceTime == nil {
            throw ValidationError("--reprice-at \(repriceAt) is not a date such as 2026-12-01 or an RFC 3339 time such as 2026-12-01T00:00:00Z")
        }
        if db == nil, since != nil || until != nil || !categories.isEmpty {
            throw ValidationError("--since, --until and --category filter a store: they need --db")
        }
        if db != nil && !logs.isEmpty { throw ValidationError("give either --log FILE… or --db FILE, not both") }
        for (flag, value) in [("--since", since), ("--until", until)] {
            if let value, RouteSim.parseTime(value) == nil { throw ValidationError("\(flag) \(value) is not an RFC 3339 time such as 2026-10-01T00:00:00Z") }
        }
    }

    /// Refuses a command line that names no records, for commands that need some.
    func requireRecords() throws {
        if logs.isEmpty && db == nil { throw ValidationError("give either --log FILE… or --db FILE") }
    }

    /// The store and its filter, when reading from one.
    var store: (path: String, query: StoreQuery)? {
        db.map { ($0, StoreQuery(since: since.flatMap(RouteSim.parseTime), until: until.flatMap(RouteSim.parseTime), categories: categories)) }
    }

    /// The job inputs these options name, with the policy files a command adds: the one place
    /// the command line turns into them.
    func replayInputs(policies: [String] = []) -> ReplayInputs {
        var inputs = ReplayInputs(logs: logs, catalogPath: models, policyPaths: policies)
        inputs.store = store
        inputs.format = logFormat.format
        inputs.pricesPath = prices
        inputs.repriceAt = repriceTime
        return inputs
    }
}

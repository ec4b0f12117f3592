import ArgumentParser

/// The inputs and run options every replaying command shares.
struct ReplayOptions: ParsableArguments {
    @Option(name: .customLong("log"), parsing: .upToNextOption,
            help: "Request logs: canonical JSONL (.jsonl) or long CSV (.csv), optionally .gz.")
    var logs: [String]

    @Option(name: .customLong("models"), help: "The model catalog (YAML): tiers and prices.")
    var models: String

    @Option(name: .customLong("policy"), parsing: .upToNextOption,
            help: "Policy files (YAML; several documents per file allowed).")
    var policies: [String]

    @Option(help: "Seed for random draws (bootstrap, mocks).")
    var seed: Int = 1

    @Flag(help: "Write invalid records to OUT/rejected.jsonl and go on, instead of stopping at the first.")
    var skipInvalid = false

    @Option(help: "Worker threads (default: one per core). Results do not depend on it.")
    var threads: Int?

    @Option(help: "Output directory.")
    var out: String = "out"

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

import ArgumentParser
import RouteSimCore

struct MockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock",
        abstract: "Generate a synthetic customer-support request log (canonical JSONL).",
        discussion: """
            The scenario (YAML) describes the service: models with latencies, categories with \
            their share, token sizes and each model's capability, hourly load, router accuracy. \
            The same scenario, --requests, --days and --seed always give byte-identical output. \
            The bundled datasets/support-14d.jsonl.gz is made by:
              routesim mock --scenario datasets/support-scenario.yaml --requests 50000 \\
                --days 14 --seed 42 --out datasets --name support-14d.jsonl.gz
            """)

    @Option(help: "The synthetic service (YAML; default: the bundled support scenario).")
    var scenario: String?

    @Option(help: "Number of requests (up to 100,000,000).")
    var requests: Int = 50_000

    @Option(help: "Days the requests spread over, from 2026-10-01 (up to 36,500).")
    var days: Int = 14

    @Option(help: "Random seed.")
    var seed: Int = 42

    @Option(help: "Output directory.")
    var out: String = "out"

    @Option(help: "The log's file name in the output directory (.jsonl, or .jsonl.gz to compress).")
    var name: String = "requests.jsonl.gz"

    func validate() throws {
        // The times are drawn and sorted in memory (8 bytes a request), and written as years of four digits.
        guard (1...100_000_000).contains(requests) else { throw ValidationError("--requests must be from 1 to 100,000,000") }
        guard (1...36_500).contains(days) else { throw ValidationError("--days must be from 1 to 36,500 (a century from 2026-10-01)") }
    }

    func run() throws {
        try runReportingErrors {
            var generator = SupportLogGenerator(requests: requests, days: days, seed: UInt(bitPattern: seed))
            if let scenario { generator.scenario = try SupportLogGenerator.Scenario.load(path: scenario) }
            try OutputFiles.makeDirectory(out)
            try generator.write(to: "\(out)/\(name)")
            print("wrote \(requests) requests to \(out)/\(name)")
        }
    }
}

import ArgumentParser
import RouteSimCore

struct OffPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offpolicy",
        abstract: "Estimate success and cost of one-call policies from a randomised log (served_by, propensity).",
        discussion: """
            For logs where production chose the model at random with known probabilities and \
            recorded only the served model's outcome: IPS, self-normalised IPS and, with --mock as \
            the reward model, doubly robust estimates, with 95% intervals. Writes OUT/offpolicy.json.

            Example:
              routesim offpolicy --log explore.jsonl --models models.yaml --policy router.yaml \\
                --mock calibrated.yaml
            """)

    @Option(name: .customLong("log"), parsing: .upToNextOption, help: "Logs with served_by and propensity.")
    var logs: [String]

    @Option(name: .customLong("models"), help: "The model catalog (YAML).")
    var models: String

    @Option(help: "A LiteLLM price table (model_prices_and_context_window.json) for catalog entries with price_from:.")
    var prices: String?

    @Option(name: .customLong("policy"), parsing: .upToNextOption, help: "Policy files (single-model policies and routers).")
    var policies: [String]

    @Option(help: "A mock file whose success probabilities are the reward model for doubly robust estimates.")
    var mock: String?

    @Option(help: "Seed for the bootstrap.")
    var seed: Int = 1

    @Option(help: "Output directory.")
    var out: String = "out"

    func run() throws {
        try runReportingErrors {
            var estimate = OffPolicyEstimate(logs: logs, catalogPath: models, policyPaths: policies)
            estimate.pricesPath = prices
            estimate.mockPath = mock
            estimate.seed = seed
            let results = try estimate.run()
            let directory = try OutputDirectory(out)
            try OutputFiles.write(OffPolicyReport.json(results), to: "\(directory.path)/offpolicy.json")
            try directory.commit()
            print(OffPolicyReport.markdown(results))
        }
    }
}

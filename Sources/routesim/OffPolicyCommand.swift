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

    @OptionGroup var input: InputOptions

    @Option(name: .customLong("policy"), parsing: .upToNextOption, help: "Policy files (single-model policies and routers).")
    var policies: [String]

    @Option(help: "A mock file whose success probabilities are the reward model for doubly robust estimates.")
    var mock: String?

    @Option(help: "Seed for the bootstrap.")
    var seed: Int = 1

    @Option(help: "Output directory.")
    var out: String = "out"

    func validate() throws { try input.requireRecords() }

    func run() throws {
        try runReportingErrors {
            var inputs = input.replayInputs(policies: policies)
            inputs.mockPath = mock
            inputs.seed = seed
            let estimate = OffPolicyEstimate(inputs: inputs)
            let results = try estimate.run()
            let directory = try OutputDirectory(out)
            try OutputFiles.write(OffPolicyReport.json(results), to: "\(directory.path)/offpolicy.json")
            try directory.commit()
            print(OffPolicyReport.markdown(results))
        }
    }
}

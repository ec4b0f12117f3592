import ArgumentParser
import Foundation
import RouteSimCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a catalog, policies and logs; report every problem, not just the first.",
        discussion: """
            Exits 0 when everything is valid, 2 otherwise, with one line per problem naming file, line and field.

            Example:
              routesim validate --models models.yaml --policy policies.yaml \\
                --log week.jsonl
            """)

    @Option(name: .customLong("log"), parsing: .upToNextOption, help: "Request logs to check.")
    var logs: [String] = []

    @Option(name: .customLong("models"), help: "The model catalog (YAML); needed to check logs and policies.")
    var models: String

    @Option(name: .customLong("policy"), parsing: .upToNextOption, help: "Policy files to check.")
    var policies: [String] = []

    @OptionGroup var logFormat: FormatOption

    @Option(help: "LiteLLM price table (JSON) for catalog entries with price_from:.")
    var prices: String?

    func run() throws {
        try runReportingErrors {
            var validation = Validation()
            validation.logs = logs
            validation.catalogPath = models
            validation.policyPaths = policies
            validation.format = logFormat.format
            validation.pricesPath = prices
            let (checked, problems) = try validation.run()
            for line in checked { print("checked \(line)") }
            for problem in problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
            if !problems.isEmpty {
                FileHandle.standardError.write(Data("\(problems.count) problem(s) found\n".utf8))
                throw ExitCode(2)
            }
            print("all valid")
        }
    }
}

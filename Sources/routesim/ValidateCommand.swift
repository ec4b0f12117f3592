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

    @OptionGroup var input: InputOptions

    @Option(name: .customLong("policy"), parsing: .upToNextOption, help: "Policy files to check.")
    var policies: [String] = []

    func run() throws {
        try runReportingErrors {
            let validation = Validation(inputs: input.replayInputs(policies: policies))
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

import ArgumentParser
import Foundation
import RouteSimCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a catalog, policies and logs; report every problem, not just the first.",
        discussion: """
            Exits 0 when everything is valid, 2 otherwise, with one line per problem naming file, line and field.

            With --lint it also lists what makes a cost figure doubtful though the log is valid: calls priced from tokens that counted none, models whose calls all count the same tokens, recorded costs the catalog's prices disagree with beyond --lint-tolerance, calls of unpriced models, cache or reasoning counts above their totals, calls traced twice, traces that lost spans. Findings do not change the exit code.

            Example:
              routesim validate --models models.yaml --policy policies.yaml \\
                --log week.jsonl --lint
            """)

    @OptionGroup var input: InputOptions

    @Option(name: .customLong("policy"), parsing: .upToNextOption, help: "Policy files to check.")
    var policies: [String] = []

    @Flag(help: "Also list the cost checks' findings (docs/metrics.md, \"Cost checks\").")
    var lint = false

    @Option(help: "With --lint: how far apart a recorded cost and the catalog's price may be, as a share of the larger.")
    var lintTolerance = 0.05

    /// Findings printed per kind; the rest are counted.
    static let shownPerKind = 20

    func validate() throws {
        guard lintTolerance >= 0, lintTolerance.isFinite else { throw ValidationError("--lint-tolerance must be a share >= 0, such as 0.05") }
    }

    func run() throws {
        try runReportingErrors {
            var validation = Validation(inputs: input.replayInputs(policies: policies))
            validation.costTolerance = lintTolerance
            let report = try validation.report()
            let problems = report.problems
            for line in report.checked { print("checked \(line)") }
            if lint { printFindings(report.costFindings) }
            for problem in problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
            if !problems.isEmpty {
                FileHandle.standardError.write(Data("\(problems.count) problem(s) found\n".utf8))
                throw ExitCode(2)
            }
            print("all valid")
        }
    }

    /// Each kind's findings, at most `shownPerKind` of each, then the counts.
    private func printFindings(_ findings: [(kind: CostLint.Kind, finding: RecordProblem)]) {
        for kind in CostLint.Kind.allCases {
            let mine = findings.filter { $0.kind == kind }
            for entry in mine.prefix(Self.shownPerKind) { print("lint \(kind.key): \(entry.finding.error)") }
            if mine.count > Self.shownPerKind { print("lint \(kind.key): … and \(mine.count - Self.shownPerKind) more") }
        }
        let counts = CostLint.Kind.allCases.map { kind in "\(kind.key) \(findings.count { $0.kind == kind })" }
        print("cost checks: " + counts.joined(separator: ", "))
    }
}

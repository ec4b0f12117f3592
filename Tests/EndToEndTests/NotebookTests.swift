import Foundation
import Testing

/// Runs every `$ command` in the `console` blocks of `notebooks-md/*.md` and checks that each
/// line shown under it appears in its output; `[exit N]` gives the expected exit status (else 0).
@Suite("Walkthroughs in notebooks-md/ run as written")
struct NotebookTests {
    struct Step {
        var command: String
        var expected: [String] = []
        var status: Int32 = 0
    }

    static var notebooks: [String] {
        let folder = RouteSimBinary.root + "/notebooks-md"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
    }

    static func steps(of text: String) -> [Step] {
        var steps: [Step] = []
        var inConsole = false
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                inConsole = !inConsole && line == "```console"
            } else if inConsole {
                if line.hasPrefix("$ ") {
                    steps.append(Step(command: String(line.dropFirst(2))))
                } else if line.hasPrefix("[exit "), let code = Int32(line.dropFirst(6).dropLast()) {
                    steps[steps.count - 1].status = code
                } else if !line.isEmpty {
                    steps[steps.count - 1].expected.append(line)
                }
            }
        }
        return steps
    }

    @Test(.tags(.slow), arguments: notebooks)
    func runsAsWritten(notebook: String) throws {
        let text = try String(contentsOfFile: RouteSimBinary.root + "/notebooks-md/" + notebook, encoding: .utf8)
        let scratch = Scratch()
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/datasets", withDestinationPath: RouteSimBinary.root + "/datasets")
        let steps = Self.steps(of: text)
        #expect(!steps.isEmpty)
        for step in steps {
            let run = try RouteSimBinary.bash(step.command, in: scratch.path)
            #expect(run.status == step.status, "\(notebook): `\(step.command)` exited \(run.status): \(run.stderr)")
            let output = run.stdout + run.stderr
            for line in step.expected {
                #expect(output.contains(line), "\(notebook): `\(step.command)` did not print: \(line)\n--- it printed:\n\(output)")
            }
        }
    }
}

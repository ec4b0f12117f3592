import Foundation
import Testing

/// Strings from inputs reach gnuplot, Markdown and file names: none may run a command or break
/// the output, and names with control characters are refused where they are read.
@Suite("Hostile names: escaped where they leave, refused where they cannot be")
struct HostileNamesTests {
    /// Each tries to run `touch` through gnuplot's backquotes, a shell's `$(…)`, or a `!` line.
    static let hostile = [
        #"q`touch PWNED1`"#,
        #"q$(touch PWNED2)"#,
        #"q'"; !touch PWNED3"#,
        #"a|b *c* <script>"#,
    ]

    @Test func printableHostileNamesAreDrawnAndReportedWithoutRunningAnything() throws {
        let scratch = SimulateCommandTests.scratch(log: ["a", "bb", "ccc"].map { SimulateCommandTests.line($0) })
        let policies = Self.hostile.enumerated().map { index, name in
            "name: '\(name.replacingOccurrences(of: "'", with: "''"))'\nkind: single\nmodel: \(index % 2 == 0 ? "small" : "large")"
        }
        scratch.file("policies.yaml", policies.joined(separator: "\n---\n") + "\n")
        let log = ["a", "bb"].map { SimulateCommandTests.line($0).replacingOccurrences(of: #""input_tokens""#, with: #""category":"x`touch PWNED4`|y","input_tokens""#) }
        scratch.file("log.jsonl", log.joined(separator: "\n") + "\n")
        let run = try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "out"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path) + FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out")
        #expect(!files.contains { $0.hasPrefix("PWNED") }, "\(files)")
        let report = scratch.read("out/report.md")
        #expect(report.contains(#"a\|b \*c\* &lt;script&gt;"#))
        #expect(!report.contains("<script>"))
        if FileManager.default.fileExists(atPath: "/usr/bin/gnuplot") {
            #expect(FileManager.default.fileExists(atPath: scratch.path + "/out/charts/frontier.svg"))
        }
    }

    static let controlNames: [(String, String)] = [
        ("name: \"p\\n!touch PWNED\"\nkind: single\nmodel: small\n", "name"),
        ("name: \"p\\tq\"\nkind: single\nmodel: small\n", "name"),
    ]

    @Test(arguments: controlNames)
    func namesWithControlCharactersAreRefusedByValidateAndSimulate(policy: String, field: String) throws {
        let scratch = SimulateCommandTests.scratch(log: [SimulateCommandTests.line("a")])
        scratch.file("policies.yaml", policy)
        let validate = try RouteSimBinary.run(["validate", "--models", "models.yaml", "--policy", "policies.yaml"], in: scratch.path)
        #expect(validate.status == 2)
        #expect(validate.stdout.contains("policies.yaml:1: name: must be printable") || validate.stderr.contains("policies.yaml:1: name: must be printable"),
                "\(validate.stdout)\(validate.stderr)")
        let simulate = try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "out"], in: scratch.path)
        #expect(simulate.status == 2)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/PWNED"))
    }

    @Test func aModelNameWithANewlineIsRefused() throws {
        let scratch = SimulateCommandTests.scratch(log: [SimulateCommandTests.line("a")])
        scratch.file("models.yaml", "models:\n  \"small\\n!touch PWNED\": {tier: 1, per_call_usd: 1}\n")
        let run = try RouteSimBinary.run(["validate", "--models", "models.yaml"], in: scratch.path)
        #expect(run.status == 2)
        #expect((run.stdout + run.stderr).contains("the model name must be printable"))
    }

    @Test func anOutputPathWithANewlineIsRefused() throws {
        let scratch = SimulateCommandTests.scratch(log: ["a", "bb"].map { SimulateCommandTests.line($0) })
        let run = try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "out\n!touch PWNED"], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("control character"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/PWNED"))
    }
}

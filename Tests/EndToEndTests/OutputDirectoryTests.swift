import Foundation
import Testing

/// An output directory is replaced as a whole: a failed or killed run leaves the earlier files as
/// they were, and a finished run leaves none of an earlier run's files behind.
@Suite("Output directories are replaced whole")
struct OutputDirectoryTests {
    static let good = ["a", "bb", "ccc"].map { SimulateCommandTests.line($0) }

    @Test func aFailedRunLeavesTheEarlierFilesAsTheyWere() throws {
        let scratch = SimulateCommandTests.scratch(log: Self.good)
        scratch.file("out/mine.txt", "the user's own file")
        #expect(try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "out", "--no-charts"], in: scratch.path).status == 0)
        let before = scratch.read("out/summary.json")
        scratch.file("log.jsonl", Self.good.joined(separator: "\n") + "\n{\"id\":\"broken\"\n")
        let failed = try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "out", "--no-charts"], in: scratch.path)
        #expect(failed.status == 2)
        #expect(scratch.read("out/summary.json") == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out").sorted()
        #expect(left == ["mine.txt", "report.md", "summary.json"], "\(left)")
    }

    @Test func aFinishedRunRemovesAnEarlierRunsFiles() throws {
        let scratch = SimulateCommandTests.scratch(log: Self.good + ["{\"id\":\"broken\"}"])
        let skipping = try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "out", "--no-charts", "--skip-invalid"], in: scratch.path)
        #expect(skipping.status == 0, "\(skipping.stderr)")
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/out/rejected.jsonl"))
        scratch.file("log.jsonl", Self.good.joined(separator: "\n") + "\n")
        #expect(try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "out", "--no-charts"], in: scratch.path).status == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out/rejected.jsonl"))
    }

    @Test func aDirectoryThatCannotBeMadeSaysWriteNotRead() throws {
        let scratch = SimulateCommandTests.scratch(log: Self.good)
        scratch.file("taken", "a file where the output directory should go")
        let run = try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "taken/out", "--no-charts"], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot write taken/out") && !run.stderr.contains("cannot read"), "\(run.stderr)")
    }

    @Test func aKilledRunsStagingIsClearedByTheNext() throws {
        let scratch = SimulateCommandTests.scratch(log: Self.good)
        // A staging folder of a process that no longer runs, as kill -9 leaves it.
        scratch.file("out/.routesim-staging-999999/summary.json", "{\"truncated\":")
        #expect(try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "out", "--no-charts"], in: scratch.path).status == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out").sorted()
        #expect(left == ["report.md", "summary.json"], "\(left)")
    }
}

import Foundation
import Testing

/// A replay's answer is a function of the set of records, not of their order: the ground on which
/// shards replayed apart and merged give exactly what one machine gives (docs/partials.md).
@Suite("Replays split into shards and merged give one machine's answer", .tags(.slow))
struct ShardMergeTests {
    /// The three `make demo` replays: a support log, a workflow log and self-hosted fleets.
    static let examples = [("support", ReportTests.demo), ("workflow", ReportTests.workflow), ("capacity", ReportTests.capacity)]

    /// Every file under `directory`, by its path below it.
    static func files(_ directory: String) throws -> [String: Data] {
        let names = try FileManager.default.subpathsOfDirectory(atPath: directory).sorted()
        var files: [String: Data] = [:]
        for name in names {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(directory)/\(name)", isDirectory: &isDirectory), !isDirectory.boolValue { files[name] = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)")) }
        }
        return files
    }

    /// The example's log decompressed with its lines reversed: every first appearance moves.
    static func reversed(_ arguments: [String], into scratch: Scratch) throws -> [String] {
        let log = arguments[arguments.firstIndex(of: "--log")! + 1]
        let run = try RouteSimBinary.bash("gzip -dc \(log) | tac > \(scratch.path)/reversed.jsonl", in: RouteSimBinary.root)
        #expect(run.status == 0, "\(run.stderr)")
        var changed = arguments
        changed[arguments.firstIndex(of: "--log")! + 1] = scratch.path + "/reversed.jsonl"
        return changed
    }

    @Test(arguments: examples.map(\.0))
    func aLogInAnotherOrderGivesTheSameFiles(example: String) throws {
        let arguments = Self.examples.first { $0.0 == example }!.1
        let scratch = Scratch()
        let reversed = try Self.reversed(arguments, into: scratch)
        for (name, args) in [("in-order", arguments), ("reversed", reversed)] {
            let run = try RouteSimBinary.run(args + ["--out", "\(scratch.path)/\(name)"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let inOrder = try Self.files("\(scratch.path)/in-order"), other = try Self.files("\(scratch.path)/reversed")
        #expect(inOrder.keys.sorted() == other.keys.sorted() && inOrder.count > 5)
        for (name, data) in inOrder { #expect(other[name] == data, "\(example): \(name) differs when the log's lines are reversed") }
    }

    /// Cuts the example's log into `count` shards by CRC-32 of the id (Python's zlib: a computation
    /// of the partitioning rule independent of routesim's), replays each into a partial.
    static func partials(_ arguments: [String], count: Int, into scratch: Scratch) throws -> [String] {
        let log = arguments[arguments.firstIndex(of: "--log")! + 1]
        let split = """
            import gzip, json, zlib
            outs = [open("\(scratch.path)/shard-%d.jsonl" % i, "w") for i in range(\(count))]
            for line in gzip.open("\(RouteSimBinary.root)/\(log)", "rt"):
                outs[zlib.crc32(json.loads(line)["id"].encode()) % \(count)].write(line)
            """
        let run = try RouteSimBinary.bash("python3 -c '\(split)'", in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        return try (0..<count).map { index in
            var args = arguments
            args[arguments.firstIndex(of: "--log")! + 1] = "\(scratch.path)/shard-\(index).jsonl"
            let partial = "\(scratch.path)/\(index).partial"
            let run = try RouteSimBinary.run(args + ["--shard", "\(index)/\(count)", "--emit-partial", partial])
            #expect(run.status == 0, "\(run.stderr)")
            return partial
        }
    }

    @Test(arguments: [("support", 3), ("workflow", 2), ("capacity", 4)])
    func mergedShardsGiveTheFilesOfOneRun(example: String, shards: Int) throws {
        let arguments = Self.examples.first { $0.0 == example }!.1
        let scratch = Scratch()
        let partials = try Self.partials(arguments, count: shards, into: scratch)
        let whole = try RouteSimBinary.run(arguments + ["--out", "\(scratch.path)/whole"])
        #expect(whole.status == 0, "\(whole.stderr)")
        // Merged in another order than the shards', from another directory.
        let merged = try RouteSimBinary.run(["merge"] + partials.reversed() + ["--out", "\(scratch.path)/merged"], in: scratch.path)
        #expect(merged.status == 0, "\(merged.stderr)")
        let one = try Self.files("\(scratch.path)/whole"), many = try Self.files("\(scratch.path)/merged")
        #expect(one.keys.sorted() == many.keys.sorted() && one.count > 5)
        for (name, data) in one { #expect(many[name] == data, "\(example): \(name) differs between one run and \(shards) shards merged") }
    }

    /// Past `--exact-latencies`, percentiles come from a sketch in the run on one machine and in
    /// the merge alike: with 10,000 each of 3 shards sketches its own; with 20,000 none does and
    /// the merge sketches the whole (50,000 requests).
    @Test(arguments: [10_000, 20_000])
    func sketchedLatenciesMergeIntoTheFilesOfOneRun(limit: Int) throws {
        let arguments = ReportTests.demo + ["--exact-latencies", "\(limit)"]
        let scratch = Scratch()
        let partials = try Self.partials(arguments, count: 3, into: scratch)
        let whole = try RouteSimBinary.run(arguments + ["--out", "\(scratch.path)/whole"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let merged = try RouteSimBinary.run(["merge"] + partials + ["--out", "\(scratch.path)/merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let one = try Self.files("\(scratch.path)/whole"), many = try Self.files("\(scratch.path)/merged")
        #expect(one.keys.sorted() == many.keys.sorted() && one.count > 5)
        for (name, data) in one { #expect(many[name] == data, "\(name) differs between one run and 3 shards merged") }
        let summary = String(decoding: one["summary.json"]!, as: UTF8.self)
        #expect(summary.contains("\"exact\": false") && !summary.contains("\"exact\": true"))
        #expect(String(decoding: one["report.md"]!, as: UTF8.self).contains("from a sketch of 50,000 latencies: each within 0.5%"))
    }

    /// Self-hosted fleets add their queueing to each request's latency at the end: every latency is
    /// kept, whatever the limit.
    @Test func withSelfHostedModelsEveryLatencyIsKept() throws {
        let scratch = Scratch()
        let run = try RouteSimBinary.run(ReportTests.capacity + ["--exact-latencies", "10", "--no-charts", "--out", scratch.path])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try String(contentsOfFile: "\(scratch.path)/summary.json", encoding: .utf8)
        #expect(summary.contains("\"exact\": true") && !summary.contains("\"exact\": false"))
    }

    /// `compare` cut into shards and merged gives one run's verdict, file for file (JUnit too), and
    /// its exit code: 0 for a candidate that holds, 1 for one that regresses.
    @Test(arguments: [("shadow-router", Int32(0)), ("always-small", Int32(1))])
    func comparedShardsMergeIntoTheVerdictOfOneRun(candidate: String, status: Int32) throws {
        let arguments = ["compare", "--log", "datasets/support-14d.jsonl.gz", "--models", "datasets/models.yaml",
                         "--policy", "datasets/policies.yaml", "--baseline", "always-large", "--candidate", candidate]
        let scratch = Scratch()
        let partials = try Self.partials(arguments, count: 3, into: scratch)
        let whole = try RouteSimBinary.run(arguments + ["--out", "\(scratch.path)/whole", "--junit", "\(scratch.path)/whole/junit.xml"])
        #expect(whole.status == status, "\(whole.stderr)")
        let merged = try RouteSimBinary.run(["merge"] + partials.reversed() + ["--out", "\(scratch.path)/merged", "--junit", "\(scratch.path)/merged/junit.xml"],
                                            in: scratch.path)
        #expect(merged.status == status, "\(merged.stderr)")
        #expect(merged.stdout == whole.stdout)
        let one = try Self.files("\(scratch.path)/whole"), many = try Self.files("\(scratch.path)/merged")
        #expect(one.keys.sorted() == many.keys.sorted() && one.keys.contains("compare.json") && one.keys.contains("junit.xml"))
        for (name, data) in one { #expect(many[name] == data, "\(candidate): \(name) differs between one run and 3 shards merged") }
    }

    /// `sweep` cut into shards and merged gives one run's frontier, file for file, and says the same.
    @Test func sweptShardsMergeIntoTheFrontierOfOneRun() throws {
        let arguments = ["sweep", "--log", "datasets/support-14d.jsonl.gz", "--models", "datasets/models.yaml",
                         "--policy", "datasets/policy-two-model.yaml", "datasets/policies.yaml", "--sweep", "small-then-large",
                         "--param", "steps[0].accept_if.confidence.gte", "--from", "0.5", "--to", "1", "--steps", "51", "--target-success", "0.93"]
        let scratch = Scratch()
        let partials = try Self.partials(arguments, count: 3, into: scratch)
        let whole = try RouteSimBinary.run(arguments + ["--out", "\(scratch.path)/whole"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let merged = try RouteSimBinary.run(["merge"] + partials.reversed() + ["--out", "\(scratch.path)/merged"], in: scratch.path)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.replacingOccurrences(of: "/merged/", with: "/whole/") == whole.stdout && whole.stdout.contains("cheapest setting"))
        let one = try Self.files("\(scratch.path)/whole"), many = try Self.files("\(scratch.path)/merged")
        #expect(one.keys.sorted() == many.keys.sorted() && one.keys.contains("sweep.json"))
        for (name, data) in one { #expect(many[name] == data, "\(name) differs between one sweep and 3 shards merged") }
    }
}

import Foundation
import Testing

/// `merge` refuses what would give a wrong answer, each time saying why (docs/partials.md).
@Suite("routesim merge refuses partials that are not one run's shards")
struct MergeCommandTests {
    /// A log of `ids`, with the catalog and policies of `SimulateCommandTests`.
    static func scratch(ids: [String]) -> Scratch {
        SimulateCommandTests.scratch(log: ids.map { SimulateCommandTests.line($0) })
    }

    /// Ids whose CRC-32 modulo `count` is `shard` (Python's zlib, independently of routesim).
    static func ids(inShard shard: Int, of count: Int, _ scratch: Scratch) throws -> [String] {
        let run = try RouteSimBinary.bash(#"python3 -c 'import zlib; print(" ".join(i for i in ("r%d" % n for n in range(60)) if zlib.crc32(i.encode()) % \#(count) == \#(shard)))'"#, in: scratch.path)
        return run.stdout.split(separator: " ").map { String($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    static func partial(_ scratch: Scratch, _ name: String, shard: String = "0/1", extra: [String] = []) throws -> RouteSimBinary.Run {
        try RouteSimBinary.run(SimulateCommandTests.simulate + extra + ["--shard", shard, "--emit-partial", name], in: scratch.path)
    }

    static func merge(_ scratch: Scratch, _ arguments: [String]) throws -> RouteSimBinary.Run {
        try RouteSimBinary.run(["merge"] + arguments + ["--out", "out", "--no-charts"], in: scratch.path)
    }

    @Test func aRecordOfAnotherShardStopsTheReplayNamingItsLine() throws {
        let scratch = Self.scratch(ids: [])
        let other = try Self.ids(inShard: 1, of: 2, scratch)
        let mine = try Self.ids(inShard: 0, of: 2, scratch)
        scratch.file("log.jsonl", [mine[0], mine[1], other[0]].map { SimulateCommandTests.line($0) }.joined(separator: "\n") + "\n")
        for extra in [[], ["--skip-invalid"]] {
            let run = try Self.partial(scratch, "p", shard: "0/2", extra: extra)
            #expect(run.status == 2)
            #expect(run.stderr.contains("log.jsonl:3: id: '\(other[0])' belongs to shard 1/2, not 0/2"), "\(run.stderr)")
        }
    }

    @Test func partialsOfDifferentRunsAreRefused() throws {
        let scratch = Self.scratch(ids: ["a", "b", "c"])
        #expect(try Self.partial(scratch, "one").status == 0)
        scratch.file("other.yaml", "name: always-small\nkind: single\nmodel: small\n")
        #expect(try RouteSimBinary.run(SimulateCommandTests.simulate.dropLast() + ["other.yaml", "--shard", "0/1", "--emit-partial", "policies"], in: scratch.path).status == 0)
        #expect(try Self.partial(scratch, "seed", extra: ["--seed", "7"]).status == 0)
        #expect(try Self.partial(scratch, "slo", extra: ["--baseline", "cascade"]).status == 0)
        #expect(try Self.partial(scratch, "cut", shard: "0/2").status == 2)
        for (other, words) in [("policies", "different policies"), ("seed", "different seeds"), ("slo", "different options"), ("one", "are both shard 0/1")] {
            let run = try Self.merge(scratch, ["one", other])
            #expect(run.status == 2 && run.stderr.contains("one and \(other) ") && run.stderr.contains(words), "\(other): \(run.stderr)")
        }
    }

    @Test func aMissingShardIsRefusedUnlessAllowed() throws {
        let scratch = Self.scratch(ids: [])
        scratch.file("log.jsonl", try Self.ids(inShard: 1, of: 3, scratch).map { SimulateCommandTests.line($0) }.joined(separator: "\n") + "\n")
        #expect(try Self.partial(scratch, "p1", shard: "1/3").status == 0)
        let refused = try Self.merge(scratch, ["p1"])
        #expect(refused.status == 2 && refused.stderr.contains("shards 0/3, 2/3 of the log are missing"), "\(refused.stderr)")
        let allowed = try Self.merge(scratch, ["p1", "--allow-missing-shards"])
        #expect(allowed.status == 0 && allowed.stderr.contains("merged without shards 0, 2"), "\(allowed.stderr)")
        // The report says so at its top, summary.json names the shards; the figures are those of
        // one run over the shards given.
        #expect(scratch.read("out/report.md").contains("**This report covers part of the log.** Shards 0/3, 2/3 of the log were not merged"))
        let whole = try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "whole", "--no-charts"], in: scratch.path)
        #expect(whole.status == 0 && scratch.read("whole/summary.json").contains(#""missing_shards": [],"#))
        #expect(scratch.read("whole/summary.json").replacingOccurrences(of: #""missing_shards": [],"#, with: #""missing_shards": ["0/3", "2/3"],"#)
                == scratch.read("out/summary.json"))
    }

    @Test func whatIsNotAPartialOfThisLayoutIsRefused() throws {
        let scratch = Self.scratch(ids: ["a", "b"])
        #expect(try Self.partial(scratch, "p").status == 0)
        let text = try Self.merge(scratch, ["models.yaml"])
        #expect(text.status == 2 && text.stderr.contains("cannot read models.yaml: it is not a partial"), "\(text.stderr)")
        let missing = try Self.merge(scratch, ["nothing.partial"])
        #expect(missing.status == 2 && missing.stderr.contains("nothing.partial"), "\(missing.stderr)")
        let edit = #"python3 -c 'import sqlite3; db = sqlite3.connect("p"); db.execute("PRAGMA user_version = 99"); db.commit()'"#
        #expect(try RouteSimBinary.bash(edit, in: scratch.path).status == 0)
        let later = try Self.merge(scratch, ["p"])
        #expect(later.status == 2 && later.stderr.contains("another layout (version 99"), "\(later.stderr)")
    }

    /// A partial replaces a file, never a folder: `--emit-partial out/` is refused and the folder kept.
    @Test func aPartialIsNotWrittenOverAFolder() throws {
        let scratch = Self.scratch(ids: ["a", "b"])
        scratch.file("out/keep.txt", "mine")
        let run = try Self.partial(scratch, "out")
        #expect(run.status == 2 && run.stderr.contains("out") && run.stderr.contains("folder"), "\(run.stderr)")
        #expect(scratch.read("out/keep.txt") == "mine")
        #expect(try Self.partial(scratch, "p").status == 0 && Self.partial(scratch, "p").status == 0)
    }

    @Test func partialsOfAnotherVersionOfRoutesimAreRefused() throws {
        let scratch = Self.scratch(ids: ["a", "b"])
        #expect(try Self.partial(scratch, "p").status == 0)
        #expect(try Self.partial(scratch, "q", shard: "0/1").status == 0)
        let edit = #"python3 -c 'import sqlite3, json; db = sqlite3.connect("q"); s = json.loads(db.execute("SELECT body FROM part WHERE name = ?", ("setup",)).fetchone()[0]); s["routesim"] = "0.0.1"; db.execute("UPDATE part SET body = ? WHERE name = ?", (json.dumps(s).encode(), "setup")); db.commit()'"#
        #expect(try RouteSimBinary.bash(edit, in: scratch.path).status == 0)
        let run = try Self.merge(scratch, ["p", "q"])
        #expect(run.status == 2 && run.stderr.contains("different versions of routesim"), "\(run.stderr)")
    }

    /// A model whose every call counts the same tokens is a finding of the whole log: counted once
    /// over all shards, not once a shard — and not at all when the shards' constants differ.
    @Test func constantTokenCountsAreJudgedOverTheWholeLog() throws {
        let scratch = Self.scratch(ids: [])
        let shards = try (0..<2).map { try Self.ids(inShard: $0, of: 2, scratch) }
        #expect(shards.allSatisfy { $0.count >= 20 })
        for (name, secondInput) in [("same", 1000), ("differ", 2000)] {
            let logs = shards.enumerated().map { index, ids in
                ids.map { SimulateCommandTests.line($0).replacingOccurrences(of: #""input_tokens":1000"#, with: #""input_tokens":\#(index == 1 ? secondInput : 1000)"#) }
            }
            for (index, lines) in logs.enumerated() {
                scratch.file("log.jsonl", lines.joined(separator: "\n") + "\n")
                #expect(try Self.partial(scratch, "\(name)\(index)", shard: "\(index)/2").status == 0)
            }
            scratch.file("log.jsonl", logs.flatMap { $0 }.joined(separator: "\n") + "\n")
            let whole = try RouteSimBinary.run(SimulateCommandTests.simulate + ["--out", "whole-\(name)", "--no-charts"], in: scratch.path)
            #expect(whole.status == 0, "\(whole.stderr)")
            let merged = try RouteSimBinary.run(["merge", "\(name)0", "\(name)1", "--out", "merged-\(name)", "--no-charts"], in: scratch.path)
            #expect(merged.status == 0, "\(merged.stderr)")
            let one = try String(contentsOfFile: "\(scratch.path)/whole-\(name)/summary.json", encoding: .utf8)
            let many = try String(contentsOfFile: "\(scratch.path)/merged-\(name)/summary.json", encoding: .utf8)
            #expect(one.contains("\"constant_token_models\": \(name == "same" ? 2 : 0)"), "\(name): \(one)")
            #expect(one == many, "\(name): the merged summary differs from one run's")
        }
    }

    /// Partials of shards that all came out empty merge into nothing to report: refused, saying so.
    @Test func partialsWithoutRecordsAreRefusedSayingSo() throws {
        let scratch = Self.scratch(ids: [])
        scratch.file("log.jsonl", "")
        #expect(try Self.partial(scratch, "p0", shard: "0/2").status == 0)
        #expect(try Self.partial(scratch, "p1", shard: "1/2").status == 0)
        let run = try Self.merge(scratch, ["p0", "p1"])
        #expect(run.status == 2 && run.stderr.contains("the partials p0, p1 hold no records: every shard of the log was empty"), "\(run.stderr)")
    }

    /// A merge takes the partials of one command and one run: simulate's, compare's and sweep's do
    /// not mix, nor sweeps of other settings, and each command's own options are refused with the
    /// other's partials.
    @Test func partialsOfSimulateAndOfCompareDoNotMix() throws {
        let scratch = Self.scratch(ids: ["a", "b", "c"])
        let compare = ["compare", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "policies.yaml",
                       "--baseline", "always-large", "--candidate", "cascade", "--shard", "0/1", "--emit-partial", "c"]
        #expect(try RouteSimBinary.run(compare, in: scratch.path).status == 0)
        #expect(try Self.partial(scratch, "s").status == 0)
        let mixed = try Self.merge(scratch, ["s", "c"])
        #expect(mixed.status == 2 && mixed.stderr.contains("s and c are partials of different commands (simulate and compare)"), "\(mixed.stderr)")
        let junit = try Self.merge(scratch, ["s", "--junit", "j.xml"])
        #expect(junit.status == 2 && junit.stderr.contains("--junit is for the partials of compare"), "\(junit.stderr)")
        let breach = try Self.merge(scratch, ["c", "--fail-on-breach"])
        #expect(breach.status == 2 && breach.stderr.contains("--fail-on-breach is for the partials of simulate"), "\(breach.stderr)")
        let refused = try RouteSimBinary.run(compare + ["--junit", "j.xml"], in: scratch.path)
        #expect(refused.status == 2 && refused.stderr.contains("--junit belongs to the merge"), "\(refused.stderr)")
        let sweep = ["sweep", "--log", "log.jsonl", "--models", "models.yaml", "--policy", "policies.yaml", "--sweep", "cascade",
                     "--param", "steps[0].accept_if.confidence.gte", "--from", "0.5", "--to", "1", "--steps", "3", "--shard", "0/1"]
        #expect(try RouteSimBinary.run(sweep + ["--emit-partial", "w"], in: scratch.path).status == 0)
        #expect(try RouteSimBinary.run(sweep + ["--steps", "4", "--emit-partial", "w4"], in: scratch.path).status == 0)
        let sweeps = try Self.merge(scratch, ["w", "c"])
        #expect(sweeps.status == 2 && sweeps.stderr.contains("w and c are partials of different commands (sweep and compare)"), "\(sweeps.stderr)")
        let settings = try Self.merge(scratch, ["w", "w4"])
        #expect(settings.status == 2 && settings.stderr.contains("swept different policies, parameters or settings"), "\(settings.stderr)")
    }
}

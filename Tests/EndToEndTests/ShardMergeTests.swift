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
        for name in names where !name.hasSuffix("/") {
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
}

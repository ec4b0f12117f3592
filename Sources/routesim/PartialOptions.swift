import ArgumentParser
import RouteSimCore

/// `--shard I/N` and `--emit-partial FILE`: a command that replays one shard of a log into a
/// partial for `routesim merge` instead of writing its report (docs/partials.md).
struct PartialOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The logs are shard I of N (0 ≤ I < N) of a log cut by id: each record's CRC-32 of its id, modulo N, must be I (docs/partials.md).",
                               valueName: "I/N"),
            transform: Shard.parse)
    var shard: Shard?

    @Option(help: ArgumentHelp("Write this shard's replay to FILE for `routesim merge`, instead of a report.", valueName: "file"))
    var emitPartial: String?

    func validate() throws {
        if shard != nil && emitPartial == nil { throw ValidationError("--shard I/N needs --emit-partial FILE: a shard's replay is merged with the others' by routesim merge") }
    }

    /// The shard replayed: the whole log as shard 0/1 without `--shard`.
    var target: Shard { shard ?? Shard(index: 0, count: 1) }

    /// Where rejected records go with `--skip-invalid`: beside the partial.
    func rejectedLog(skipInvalid: Bool) throws -> RejectedLog? {
        guard skipInvalid, let emitPartial else { return nil }
        return try RejectedLog(path: emitPartial + ".rejected.jsonl")
    }

    /// Says what the shard's replay wrote.
    func report(_ result: Replay.Result) {
        print("replayed shard \(target.description): \(result.totals.accepted) requests through \(result.totals.policies.count) policies (\(result.rejected) rejected)")
        print("wrote \(emitPartial ?? "")")
    }
}

/// The log formats routesim reads, chosen by file name.
public enum LogFormat: String, Sendable, CaseIterable {
    /// Canonical JSONL (SPEC §2.1), `.jsonl`, `.ndjson`, `.json`, optionally `.gz`.
    case canonical
    /// Long-form CSV (SPEC §2.2), `.csv`, optionally `.gz`.
    case csv

    public static func detect(path: String) throws -> LogFormat {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json") { return .canonical }
        throw RouteSimError.usage("cannot tell the format of \(path) from its name: use .jsonl (canonical) or .csv, optionally .gz")
    }
}

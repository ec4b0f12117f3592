/// The log formats routesim reads, chosen by file name.
public enum LogFormat: String, Sendable, CaseIterable {
    /// Canonical JSONL (SPEC §2.1), `.jsonl`, `.ndjson`, `.json`, optionally `.gz`.
    case canonical
    /// Long-form CSV (SPEC §2.2), `.csv`, optionally `.gz`.
    case csv
    /// RouterBench's wide outcome table (`.csv` with `<model>|total_cost` columns).
    case routerbench

    public static func detect(path: String) throws -> LogFormat {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") { return RouterBenchReader.recognises(header: try firstLine(of: path)) ? .routerbench : .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json") { return .canonical }
        throw RouteSimError.usage("cannot tell the format of \(path) from its name: use .jsonl (canonical) or .csv, optionally .gz")
    }

    /// A whole-file table format (long CSV, RouterBench) read into records; nil for JSONL.
    static func table(path: String, catalog: ModelCatalog) throws -> LogChunk? {
        switch try detect(path: path) {
        case .canonical: return nil
        case .csv: return try CSVLogReader.read(path: path, catalog: catalog)
        case .routerbench: return try RouterBenchReader.read(path: path, catalog: catalog)
        }
    }

    /// The first line of a (possibly gzipped) text file.
    private static func firstLine(of path: String) throws -> String {
        guard let chunk = try ChunkedFileReader(path: path, chunkSize: 1 << 16).next(),
              case let .jsonLines(bytes, length) = chunk.content else { return "" }
        return String(decoding: bytes[..<length].prefix { $0 != 10 }, as: UTF8.self)
    }
}

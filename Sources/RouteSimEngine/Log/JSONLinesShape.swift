import RouteSimModel
import RouteSimStatistics
import Foundation

/// Recognises a file that holds one JSON document over many lines — a JSON array, or
/// pretty-printed objects — instead of one record per line, so that it gets one message that
/// says what the file is and how to convert it, not one error per line.
package enum JSONLinesShape {
    /// Checks the first lines of a JSON Lines file (the first chunk of it).
    package static func check(_ bytes: ArraySlice<UInt8>, file: String) throws {
        // The first two lines that are not blank, trimmed: only they are looked at (trimming the
        // whole first 64 KiB took 10 ms at the start of every replay, docs/performance.md).
        var lines: [String] = []
        for piece in bytes.prefix(1 << 16).split(separator: 10, maxSplits: 8, omittingEmptySubsequences: false) {
            let line = String(decoding: piece, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !line.isEmpty { lines.append(line) }
            if lines.count == 2 { break }
        }
        guard let first = lines.first else { return }
        let convert = "routesim reads JSON Lines, one record (a JSON object) per line"
        if first == "[" || (first.hasPrefix("[") && (first.dropFirst().first == "{" || first.dropFirst().first == " ")) {
            throw RouteSimError.invalidInput(
                file: file, line: 1, field: "",
                reason: "the file holds one JSON array, not one record per line; \(convert): convert it with jq -c '.[]' \(file) > records.jsonl")
        }
        let continues = lines.count > 1 && lines[1].hasPrefix("\"")
        if first == "{" || (first.hasPrefix("{") && !first.hasSuffix("}") && continues) {
            throw RouteSimError.invalidInput(
                file: file, line: 1, field: "",
                reason: "the file holds JSON spread over several lines per record (pretty-printed); \(convert): convert it with jq -c . \(file) > records.jsonl")
        }
    }
}

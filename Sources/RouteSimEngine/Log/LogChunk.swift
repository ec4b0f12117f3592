import RouteSimModel
import RouteSimStatistics
import Foundation

/// A run of consecutive input lines of one file, read as raw bytes (padded for the JSON parser)
/// or, for formats that must be grouped first, as records already built.
package struct LogChunk: Sendable {
    package enum Content: Sendable {
        /// `bytes[0..<length]` holds whole lines; the buffer extends at least `rp_padding()` bytes further.
        case jsonLines(bytes: [UInt8], length: Int)
        /// Records built by a grouping reader, each with its source text for `rejected.jsonl`.
        case records([Record], raw: [String], problems: [RecordProblem])
    }

    package let file: String
    package let firstLine: Int
    package let content: Content
    /// For lines gathered from elsewhere (the store): each line's original file and line, for messages.
    package var origins: [(file: String, line: Int)]? = nil
    /// For a log of calls: what joining its calls assumed or set aside.
    package var notes = LogNotes()
    /// For a log of calls: what its reader found doubtful (duplicate spans, orphan spans).
    package var findings: [(CostLint.Kind, RecordProblem)] = []
}

extension LogChunk {
    /// Calls `body` for each line of `buffer[0..<length]` that is not blank, with the line's text
    /// (without its CR LF), its line number counted from `firstLine`, and its offset in the buffer.
    package static func forEachLine(in buffer: UnsafeRawBufferPointer, length: Int, firstLine: Int,
                            _ body: (_ text: UnsafeRawBufferPointer, _ line: Int, _ offset: Int) throws -> Void) rethrows {
        var start = 0, line = firstLine
        while start < length {
            let end = memchr(buffer.baseAddress! + start, 10, length - start)
                .map { buffer.baseAddress!.distance(to: UnsafeRawPointer($0)) } ?? length
            var stop = end
            if stop > start, buffer[stop - 1] == 13 { stop -= 1 }
            let text = UnsafeRawBufferPointer(rebasing: buffer[start..<stop])
            if !text.allSatisfy({ $0 == 32 || $0 == 9 }) { try body(text, line, start) }
            start = end + 1
            line += 1
        }
    }
}


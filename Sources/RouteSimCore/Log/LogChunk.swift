/// A run of consecutive input lines of one file, read as raw bytes (padded for the JSON parser)
/// or, for formats that must be grouped first, as records already built.
struct LogChunk: Sendable {
    enum Content: Sendable {
        /// `bytes[0..<length]` holds whole lines; the buffer extends at least `rp_padding()` bytes further.
        case jsonLines(bytes: [UInt8], length: Int)
        /// Records built by a grouping reader, each with its source text for `rejected.jsonl`.
        case records([Record], raw: [String], problems: [RecordProblem])
    }

    let file: String
    let firstLine: Int
    let content: Content
    /// For lines gathered from elsewhere (the store): each line's original file and line, for messages.
    var origins: [(file: String, line: Int)]? = nil
}

/// A record that cannot be used, with where and why.
public struct RecordProblem: Error, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var field: String
    public var reason: String
    /// The record's text as read.
    public var raw: String

    public var error: RouteSimError {
        .invalidInput(file: file, line: line, field: field, reason: reason)
    }
}

/// A complaint about one field of one record, before file and line are attached.
struct FieldProblem: Error {
    var field: String
    var reason: String
}

/// A record that cannot be used, with where and why.
public struct RecordProblem: Error, Sendable, Equatable, Codable {
    public var file: String
    public var line: Int
    public var field: String
    public var reason: String
    /// The record's text as read.
    public var raw: String

    public var error: RouteSimError {
        .invalidInput(file: file, line: line, field: field, reason: reason)
    }

    package init(file: String, line: Int, field: String, reason: String, raw: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        self.raw = raw
    }
}

/// A complaint about one field of one record, before file and line are attached.
package struct FieldProblem: Error {
    package var field: String
    package var reason: String

    package init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}

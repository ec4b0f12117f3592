import RouteSimModel
import RouteSimStatistics
import Foundation

/// Writes each rejected record, with where and why, as one JSON line of `rejected.jsonl`.
public final class RejectedLog {
    private let handle: FileHandle
    private let path: String

    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw RouteSimError.unwritableFile(path: path, reason: "it cannot be created")
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    public func write(_ problem: RecordProblem) throws {
        var line = ""
        JSONValue.quote(problem.file, into: &line)
        let text = "{\"file\":\(line),\"line\":\(problem.line),\"field\":\(Self.quoted(problem.field)),"
            + "\"reason\":\(Self.quoted(problem.reason)),\"record\":\(Self.quoted(problem.raw))}\n"
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw RouteSimError.unwritableFile(path: path, reason: "a rejected record cannot be written (\(error.localizedDescription))")
        }
    }

    private static func quoted(_ text: String) -> String {
        var out = ""
        JSONValue.quote(text, into: &out)
        return out
    }
}

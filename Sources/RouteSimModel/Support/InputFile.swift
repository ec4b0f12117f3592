import Foundation

/// Checks on a path given as input, with messages that say what is wrong.
package enum InputFile {
    /// Refuses a path that is missing or a directory, with a message that says so.
    package static func checkIsFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RouteSimError.unreadableFile(path: path, reason: "no such file")
        }
        if isDirectory.boolValue {
            throw RouteSimError.unreadableFile(path: path, reason: "it is a directory; give the log files in it (for example dir/*.jsonl)")
        }
    }
}

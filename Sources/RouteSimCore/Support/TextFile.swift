import Foundation

/// Reads small whole text files (catalogs, policies, scenarios) with a readable error.
enum TextFile {
    static func read(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RouteSimError.unreadableFile(path: path, reason: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RouteSimError.unreadableFile(path: path, reason: "it could not be opened")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RouteSimError.unreadableFile(path: path, reason: "it is not UTF-8 text")
        }
        return text
    }
}

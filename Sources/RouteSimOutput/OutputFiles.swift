import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// Writes report files, turning failures into messages that name the file.
public enum OutputFiles {
    public static func makeDirectory(_ path: String) throws {
        if path.hasControlCharacters {
            throw RouteSimError.usage("the output directory \"\(path)\" holds a control character (a newline?); give a plain path")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RouteSimError.unwritableFile(path: path, reason: "the directory cannot be created")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw RouteSimError.unwritableFile(path: path, reason: "it cannot be written")
        }
    }

    public static func append(_ text: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) ?? (FileManager.default.createFile(atPath: path, contents: nil)
            ? FileHandle(forWritingAtPath: path) : nil) else {
            throw RouteSimError.unwritableFile(path: path, reason: "it cannot be opened for appending")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw RouteSimError.unwritableFile(path: path, reason: "it cannot be appended to (\(error.localizedDescription))")
        }
    }
}

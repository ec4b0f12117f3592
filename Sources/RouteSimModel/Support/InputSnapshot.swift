import Foundation
import Synchronization

/// The small input files a run reads (catalog, price table, policies, SLO file, mock file), kept
/// by path as given: a run that writes a partial records them in it, and `merge` reads them back
/// from the partials instead of the disk, so the merged run loads exactly what every shard loaded,
/// under the same names (docs/partials.md). Set once, before any work.
package enum InputSnapshot {
    private struct State {
        var recorded: [String: Data] = [:]
        /// When set, every file comes from here and none from the disk.
        var stored: [String: Data]?
    }

    private static let state = Mutex(State())

    /// `path`'s bytes: from the stored files when there are some, else from the disk (recorded).
    package static func contents(of path: String) throws -> Data {
        if let stored = state.withLock({ $0.stored }) {
            guard let data = stored[path] else {
                throw RouteSimError.usage("the partials hold no file \(path): they were written by runs that did not read it")
            }
            return data
        }
        try InputFile.checkIsFile(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RouteSimError.unreadableFile(path: path, reason: "it could not be opened (\(String(cString: strerror(errno))))")
        }
        state.withLock { $0.recorded[path] = data }
        return data
    }

    /// Every file read from the disk so far, by path.
    package static var recorded: [String: Data] { state.withLock { $0.recorded } }

    /// Serves `files` instead of the disk from now on.
    package static func serve(_ files: [String: Data]) {
        state.withLock { $0.stored = files }
    }
}

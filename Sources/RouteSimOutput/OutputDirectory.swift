import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// An output directory whose files are replaced together: a job writes into a staging folder
/// inside it, and only a run that finishes moves its files into place, after removing every
/// file an earlier run of routesim left there (a `rejected.jsonl` of an earlier
/// `--skip-invalid` run, old charts). A run that fails or is killed leaves the earlier files
/// as they were, never a mix of old and new. Files of the user's own in the directory are
/// never touched. (docs/reports.md, "Output directories".)
public final class OutputDirectory {
    /// Where the files end up.
    public let final: String
    /// Where the job writes them meanwhile.
    public let path: String
    private var committed = false

    /// Every name routesim writes into an output directory, whichever the command.
    package static let owned = ["summary.json", "report.md", "rejected.jsonl", "charts", "compare.json", "compare.md",
                        "sweep.csv", "sweep.json", "roi.json", "roi.md", "offpolicy.json", "history.md"]
    package static let stagingPrefix = ".routesim-staging-"

    public init(_ final: String) throws {
        try OutputFiles.makeDirectory(final)
        self.final = final
        Self.removeAbandonedStaging(in: final)
        path = "\(final)/\(Self.stagingPrefix)\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try OutputFiles.makeDirectory(path)
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Replaces the directory's routesim files with the staged ones.
    public func commit() throws {
        let manager = FileManager.default
        for name in Self.owned where manager.fileExists(atPath: "\(final)/\(name)") {
            do {
                try manager.removeItem(atPath: "\(final)/\(name)")
            } catch {
                throw RouteSimError.unwritableFile(path: "\(final)/\(name)", reason: "the earlier run's file cannot be removed")
            }
        }
        for name in (try? manager.contentsOfDirectory(atPath: path)) ?? [] {
            guard rename("\(path)/\(name)", "\(final)/\(name)") == 0 else {
                throw RouteSimError.unwritableFile(path: "\(final)/\(name)", reason: String(cString: strerror(errno)))
            }
        }
        try? manager.removeItem(atPath: path)
        committed = true
    }

    /// Staging folders of runs whose process is gone (killed) are removed.
    private static func removeAbandonedStaging(in directory: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(stagingPrefix) {
            guard let pid = Int32(name.dropFirst(stagingPrefix.count)), kill(pid, 0) != 0 else { continue }
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
        }
    }
}

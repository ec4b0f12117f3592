import Foundation
import RouteSimCore

/// What `compare` writes for a verdict, and `merge` for the partials of a `compare` run:
/// compare.json, compare.md and its charts, JUnit XML when asked, the GitHub job summary when
/// `GITHUB_STEP_SUMMARY` is set; then it prints the Markdown.
enum ComparisonOutput {
    static func write(_ result: RouteSimAnalysis.ComparisonResult, into directory: OutputDirectory, charts: Bool, junit: String?) throws {
        let drawn = try (charts ? ChartRenderer() : .off).render(CompareCharts.charts(for: result), into: directory.path)
        warnAboutSkipped(drawn)
        let markdown = CompareReport.markdown(result, charts: drawn)
        try OutputFiles.write(CompareReport.json(result), to: "\(directory.path)/compare.json")
        try OutputFiles.write(markdown, to: "\(directory.path)/compare.md")
        try directory.commit()
        if let junit { try OutputFiles.write(CompareReport.junit(result), to: junit) }
        if let summary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
            // A job summary shows no local images: the text alone. Failing to write it is no regression.
            do {
                try OutputFiles.append(CompareReport.markdown(result, charts: ChartRenderer.Outcome()), to: summary)
            } catch {
                FileHandle.standardError.write(Data("routesim: warning: \(error) (GITHUB_STEP_SUMMARY); the verdict stands\n".utf8))
            }
        }
        print(markdown)
    }
}

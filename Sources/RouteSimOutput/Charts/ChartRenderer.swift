import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// Renders charts with gnuplot to `DIR/charts/NAME.png` (for Markdown) and `NAME.svg` beside it.
public struct ChartRenderer: Sendable {
    /// The gnuplot executable; nil when none is installed (charts are then skipped).
    public var gnuplot: String?

    public init(gnuplot: String? = ChartRenderer.locate()) {
        self.gnuplot = gnuplot
    }

    /// `gnuplot` on the PATH, if any.
    public static func locate() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/gnuplot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// What happened to each chart.
    public struct Outcome: Sendable {
        public var rendered: [Chart] = []
        /// Charts not drawn, each with the reason (for a warning on stderr).
        public var skipped: [(chart: Chart, reason: String)] = []

        public init() {}
    }

    /// Whether charts were asked for at all (`--no-charts` turns them off without a warning).
    public var enabled = true

    /// No charts, and no warnings about them.
    public static let off = ChartRenderer(gnuplot: nil, enabled: false)

    package init(gnuplot: String?, enabled: Bool) {
        self.gnuplot = gnuplot
        self.enabled = enabled
    }

    /// Draws every chart into `directory/charts`.
    public func render(_ charts: [Chart], into directory: String) throws -> Outcome {
        var outcome = Outcome()
        guard enabled else { return outcome }
        guard let gnuplot else {
            outcome.skipped = charts.map { ($0, "gnuplot is not installed (apt-get install gnuplot-nox)") }
            return outcome
        }
        try OutputFiles.makeDirectory("\(directory)/charts")
        // Charts are independent gnuplot processes: draw them on every core.
        let problems = Parallel.map(charts) { chart -> String? in
            let stem = "\(directory)/charts/\(chart.name)"
            let script = Chart.style + """
                set terminal pngcairo size 960,540 font "DejaVu Sans,11" noenhanced
                set output \(Chart.quoted(stem + ".png"))
                \(chart.script)
                unset output
                reset session
                \(Chart.style)
                set terminal svg size 960,540 font "DejaVu Sans,11" noenhanced
                set output \(Chart.quoted(stem + ".svg"))
                \(chart.script)
                unset output

                """
            return run(gnuplot, script)
        }
        for (chart, problem) in zip(charts, problems) {
            if let problem {
                outcome.skipped.append((chart, problem))
            } else {
                outcome.rendered.append(chart)
            }
        }
        return outcome
    }

    /// Runs gnuplot on `script`; nil on success, else what went wrong.
    private func run(_ gnuplot: String, _ script: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gnuplot)
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return "gnuplot could not be started: \(error.localizedDescription)"
        }
        input.fileHandleForWriting.write(Data(script.utf8))
        try? input.fileHandleForWriting.close()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return "gnuplot failed: \(message.split(separator: "\n").last ?? "")"
        }
        return nil
    }
}

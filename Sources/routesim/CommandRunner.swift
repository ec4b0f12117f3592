import ArgumentParser
import Foundation
import RouteSimCore

/// Runs a command body, turning routesim's errors into their message on stderr and docs/commands.md exit code.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as RouteSimError {
        FileHandle.standardError.write(Data("routesim: \(error)\n".utf8))
        throw ExitCode(error.exitCode)
    } catch let exit as ExitCode {
        throw exit
    } catch {
        // Anything else is routesim's own failure: exit 3, never 1 (which means a regression).
        FileHandle.standardError.write(Data("routesim: \(RouteSimError.internalFailure("\(error)"))\n".utf8))
        throw ExitCode(3)
    }
}

/// Progress on stderr, only when stderr is a terminal.
func terminalProgress(_ label: String) -> ((Int) -> Void)? {
    guard isatty(STDERR_FILENO) != 0 else { return nil }
    return { count in FileHandle.standardError.write(Data("\r\(label): \(count) records".utf8)) }
}

func finishProgress() {
    if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}

/// One warning on stderr per chart that could not be drawn.
func warnAboutSkipped(_ charts: ChartRenderer.Outcome) {
    for (chart, reason) in charts.skipped {
        FileHandle.standardError.write(Data("routesim: warning: chart \(chart.name) skipped: \(reason)\n".utf8))
    }
}

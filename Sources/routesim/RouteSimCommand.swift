import ArgumentParser
import Foundation
import CMalloc
import RouteSimCore

@main
struct RouteSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routesim",
        abstract: "Replay LLM request logs through routing, cascade and ensemble policies, offline.",
        discussion: """
            routesim answers "what would this routing policy have cost, and what would have failed?" \
            from your own request logs, before anything changes in production.

            Start with:
              routesim simulate --log datasets/support-14d.jsonl.gz \\
                --models datasets/models.yaml \\
                --policy datasets/policies.yaml --out out/

            Exit codes: 0 success, 1 regression or SLO breach, 2 bad usage or invalid input, 3 internal error.
            """,
        version: RouteSim.version,
        subcommands: [SimulateCommand.self, CompareCommand.self, SweepCommand.self, ROICommand.self, IngestCommand.self, HistoryCommand.self,
                      CalibrateCommand.self, OffPolicyCommand.self, ValidateCommand.self, MockCommand.self, MergeCommand.self]
    )

    /// Parses and runs, with docs/commands.md exit code 2 for usage errors (swift-argument-parser uses 64).
    static func main() {
        keepFreedMemory()
        // Without a command there is nothing to do: say what there is, and fail like any usage error.
        if CommandLine.arguments.count == 1 {
            FileHandle.standardError.write(Data((helpMessage() + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// The replay's chunk buffers are megabytes each and come and go per batch: have glibc keep freed
/// memory for reuse rather than return it to the kernel and fault it in again, zeroed, moments
/// later. A process-wide setting, so the executable makes it, not the library.
func keepFreedMemory() {
    mallopt(M_MMAP_THRESHOLD, 64 << 20)
    mallopt(M_TRIM_THRESHOLD, 256 << 20)
}

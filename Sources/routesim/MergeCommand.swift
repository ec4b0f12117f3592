import ArgumentParser
import Foundation
import RouteSimCore

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the partials of a log's shards into what simulate (or compare, or sweep) gives for the whole log.",
        discussion: """
            Each partial is one shard's replay, written by `simulate --shard I/N --emit-partial FILE` \
            (on one machine or many; docs/partials.md). The partials hold what the runs read \
            — catalog, policies, SLO file, options — so merge needs nothing else. It writes OUT/summary.json \
            and OUT/report.md byte for byte as simulate would over all the shards' records (for the partials \
            of `compare --emit-partial`: compare.json and compare.md, exit 1 on a regression; of `sweep`: \
            sweep.csv and sweep.json), and refuses \
            partials of different runs, a shard given twice, and a missing shard.

            Example (a log cut into two shards by id):
              routesim simulate --log shard-0.jsonl --models models.yaml --policy policies.yaml \\
                --shard 0/2 --emit-partial 0.partial
              routesim simulate --log shard-1.jsonl --models models.yaml --policy policies.yaml \\
                --shard 1/2 --emit-partial 1.partial
              routesim merge 0.partial 1.partial --out out/
            """)

    @Argument(help: "The partials, one a shard, in any order.")
    var partials: [String]

    @Option(help: "Output directory.")
    var out: String = "out"

    @Flag(inversion: .prefixedNo, help: "Draw the report's charts with gnuplot (PNG and SVG in OUT/charts).")
    var charts = true

    @Flag(help: "Merge the shards given even when some of the log's shards are missing (the figures then cover only theirs).")
    var allowMissingShards = false

    @Flag(help: "Exit 1 when any policy breaches an SLO in any window (the runs must have had --slo).")
    var failOnBreach = false

    @Option(help: "With the partials of `compare`: also write JUnit XML here (one test case per criterion).")
    var junit: String?

    func run() throws {
        var failed = false
        try runReportingErrors {
            let (merged, missing) = try SimulationPartial.merge(partials, allowMissingShards: allowMissingShards)
            if !missing.isEmpty {
                let names = missing.map(String.init).joined(separator: ", ")
                FileHandle.standardError.write(Data("routesim: warning: merged without shard\(missing.count == 1 ? "" : "s") \(names): the figures cover only the shards given\n".utf8))
            }
            switch merged {
            case let .comparison(result):
                if failOnBreach { throw RouteSimError.usage("--fail-on-breach is for the partials of simulate; a comparison's merge exits 1 on a regression, as compare does") }
                try ComparisonOutput.write(result, into: try OutputDirectory(out), charts: charts, junit: junit)
                failed = !result.passed
            case let .sweep(result, targetSuccess):
                if failOnBreach || junit != nil { throw RouteSimError.usage("--fail-on-breach and --junit are not for the partials of sweep") }
                try SweepOutput.write(result, targetSuccess: targetSuccess, into: try OutputDirectory(out), charts: charts)
            case let .simulation(summary):
                if junit != nil { throw RouteSimError.usage("--junit is for the partials of compare: these are simulate's") }
                let directory = try OutputDirectory(out)
                let drawn = try SimulationReport.write(summary, renderer: charts ? ChartRenderer() : .off, into: directory.path)
                try directory.commit()
                warnAboutSkipped(drawn)
                print("merged \(partials.count) partials: \(summary.accepted) requests through \(summary.policies.count) policies (\(summary.rejected) rejected)")
                print("wrote \(out)/summary.json and \(out)/report.md")
                failed = failOnBreach && summary.breachCount > 0
            }
        }
        if failed { throw ExitCode(1) }
    }
}

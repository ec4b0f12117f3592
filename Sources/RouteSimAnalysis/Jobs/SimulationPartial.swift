import Foundation
import RouteSimEngine
import RouteSimModel

/// `simulate`, `compare` and `sweep --emit-partial`, and `merge` (docs/partials.md): a shard's
/// replay written with what the run was, and the partials of every shard merged into what one run
/// over the whole log gives, byte for byte.
public enum SimulationPartial {
    /// What a shard's run was: every partial of one merge must have the same.
    struct Setup: Codable, Equatable {
        var routesim: String
        var shards: Int
        var catalogPath: String
        var pricesPath: String?
        var repriceAt: Double?
        var policyPaths: [String]
        var mockPath: String?
        var seed: Int?
        var format: String?
        var skipInvalid: Bool
        var exactLatencies: Int
        var sloPath: String?
        var baseline: String?
        var monthlyVolume: Double?
        var engineeringCostUSD: Double?
        var rollout: [Double]
        var arrivalScale: Double
        /// The name of the `recorded` policy the run added as the baseline, if it did.
        var production: String?
        /// Every input file the run read (catalog, price table, policies, SLO, mock), by path.
        var files: [String: Data]
        /// A `compare` run's options; nil for `simulate`'s.
        var comparison: ComparisonSetup?
        /// A `sweep` run's options; nil for `simulate`'s.
        var sweep: SweepSetup?

        /// What a `sweep` run swept, and the success rate it looks for.
        struct SweepSetup: Codable, Equatable {
            var policyName: String
            var parameter: String
            var values: [Double]
            var targetSuccess: Double?
        }

        /// The command that wrote the partial.
        var command: String { comparison != nil ? "compare" : sweep != nil ? "sweep" : "simulate" }

        /// What a `compare` run judged, and by what limits.
        struct ComparisonSetup: Codable, Equatable {
            var baseline: String
            var candidate: String
            var maxCPIIncrease: Double
            var maxSuccessDrop: Double
            var alpha: Double
        }

        init(_ simulation: Simulation, shards: Int, production: String?, files: [String: Data]) {
            self.init(simulation.inputs, shards: shards, files: files)
            let options = simulation.options
            sloPath = simulation.sloPath
            baseline = options.baseline
            monthlyVolume = options.monthlyVolume
            engineeringCostUSD = options.engineeringCostUSD
            rollout = options.rollout
            arrivalScale = options.arrivalScale
            self.production = production
        }

        init(_ comparison: PolicyComparison, shards: Int, files: [String: Data]) {
            self.init(comparison.inputs, shards: shards, files: files)
            self.comparison = ComparisonSetup(baseline: comparison.baseline, candidate: comparison.candidate,
                                              maxCPIIncrease: comparison.maxCPIIncrease, maxSuccessDrop: comparison.maxSuccessDrop,
                                              alpha: comparison.alpha)
        }

        init(_ sweep: Sweep, targetSuccess: Double?, shards: Int, files: [String: Data]) {
            self.init(sweep.inputs, shards: shards, files: files)
            self.sweep = SweepSetup(policyName: sweep.policyName, parameter: sweep.parameter, values: sweep.values, targetSuccess: targetSuccess)
        }

        /// What every run reads; the options of a simulation at their defaults.
        private init(_ inputs: ReplayInputs, shards: Int, files: [String: Data]) {
            routesim = RouteSim.version
            self.shards = shards
            catalogPath = inputs.catalogPath
            pricesPath = inputs.pricesPath
            repriceAt = inputs.repriceAt
            policyPaths = inputs.policyPaths
            mockPath = inputs.mockPath
            seed = inputs.seed
            format = inputs.format?.rawValue
            skipInvalid = inputs.skipInvalid
            exactLatencies = inputs.exactLatencies
            let options = SimulationSummary.Options()
            rollout = options.rollout
            arrivalScale = options.arrivalScale
            self.files = files
        }

        /// The inputs this setup describes (without logs: the records come from partials).
        var inputs: ReplayInputs {
            var inputs = ReplayInputs(logs: [], catalogPath: catalogPath, policyPaths: policyPaths)
            inputs.pricesPath = pricesPath
            inputs.repriceAt = repriceAt
            inputs.mockPath = mockPath
            inputs.seed = seed
            inputs.format = format.flatMap(LogFormat.init(rawValue:))
            inputs.skipInvalid = skipInvalid
            inputs.exactLatencies = exactLatencies
            return inputs
        }

        /// The simulation this setup describes.
        var simulation: Simulation {
            var simulation = Simulation(inputs: inputs)
            simulation.sloPath = sloPath
            simulation.options = SimulationSummary.Options(baseline: baseline, monthlyVolume: monthlyVolume, engineeringCostUSD: engineeringCostUSD)
            simulation.options.rollout = rollout
            simulation.options.arrivalScale = arrivalScale
            return simulation
        }

        /// What differs between this setup and `other`, in words, or nil when nothing does.
        func difference(from other: Setup) -> String? {
            func files(_ paths: [String?]) -> [Data?] { paths.map { $0.flatMap { self.files[$0] } } }
            func theirs(_ paths: [String?]) -> [Data?] { paths.map { $0.flatMap { other.files[$0] } } }
            if routesim != other.routesim { return "were written by different versions of routesim (\(routesim) and \(other.routesim))" }
            if command != other.command { return "are partials of different commands (\(command) and \(other.command))" }
            if comparison != other.comparison {
                return "were compared with different --baseline, --candidate, --max-cpi-increase, --max-success-drop or --alpha"
            }
            if sweep != other.sweep { return "swept different policies, parameters or settings, or looked for another --target-success" }
            if shards != other.shards { return "are shards of logs cut differently (into \(shards) and into \(other.shards) shards)" }
            let catalog = [catalogPath, pricesPath]
            if catalog != [other.catalogPath, other.pricesPath] || repriceAt != other.repriceAt || files(catalog) != theirs([other.catalogPath, other.pricesPath]) {
                return "were replayed with different catalogs (\(catalogPath) and \(other.catalogPath), or their price tables or --reprice-at)"
            }
            if policyPaths != other.policyPaths || files(policyPaths) != theirs(other.policyPaths) {
                return "were replayed with different policies (\(policyPaths.joined(separator: " ")) and \(other.policyPaths.joined(separator: " ")))"
            }
            if seed != other.seed || mockPath != other.mockPath || files([mockPath]) != theirs([other.mockPath]) {
                return "were replayed with different seeds or mock files (--seed, --mock)"
            }
            if self != other {
                return "were replayed with different options (--slo, --baseline, --monthly-volume, --engineering-cost, --rollout, --arrival-scale, --exact-latencies, --format or --skip-invalid)"
            }
            return nil
        }
    }

    /// Replays `simulation`'s logs as shard `shard` and writes the partial to `path`; returns
    /// the replay's result (an empty shard is a partial like any other).
    public static func write(_ simulation: Simulation, shard: Shard, to path: String,
                             onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> Replay.Result {
        guard simulation.replicas == 0 else {
            throw RouteSimError.usage("--replicas cannot be used with --emit-partial yet: replay the mock's replicas on one machine")
        }
        let prepared = try simulation.prepare()
        return try write(prepared.replay, inputs: simulation.inputs, shard: shard, to: path, onReject: onReject) {
            Setup(simulation, shards: shard.count, production: prepared.production?.name, files: InputSnapshot.recorded)
        }
    }

    /// `compare`'s replay of one shard, written as a partial (its merge judges the candidate).
    public static func write(_ comparison: PolicyComparison, shard: Shard, to path: String,
                             onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> Replay.Result {
        try write(try comparison.prepare().replay, inputs: comparison.inputs, shard: shard, to: path, onReject: onReject) {
            Setup(comparison, shards: shard.count, files: InputSnapshot.recorded)
        }
    }

    /// `sweep`'s replay of one shard, written as a partial (its merge draws the frontier).
    public static func write(_ sweep: Sweep, targetSuccess: Double?, shard: Shard, to path: String,
                             onReject: @escaping (RecordProblem) throws -> Void = { _ in }) throws -> Replay.Result {
        try write(try sweep.prepare().replay, inputs: sweep.inputs, shard: shard, to: path, onReject: onReject) {
            Setup(sweep, targetSuccess: targetSuccess, shards: shard.count, files: InputSnapshot.recorded)
        }
    }

    /// Replays `inputs`' records as shard `shard` and writes them with the setup made after the
    /// replay (which has by then read every input file).
    private static func write(_ replay: Replay, inputs: ReplayInputs, shard: Shard, to path: String,
                              onReject: @escaping (RecordProblem) throws -> Void, setup: () -> Setup) throws -> Replay.Result {
        var replay = replay
        replay.shard = shard
        let result = try replay.run(sources: try inputs.sources(), onReject: onReject)
        try PartialFile.write(PartialFile.Contents(setup: try PartialFile.encoder().encode(setup()), shard: shard, result: result), to: path)
        return result
    }

    /// What a merge gives over every shard's records: `simulate`'s summary, `compare`'s verdict,
    /// or `sweep`'s frontier (with the success rate its run looked for).
    public enum Merged {
        case simulation(SimulationSummary)
        case comparison(ComparisonResult)
        case sweep(SweepResult, targetSuccess: Double?)
    }

    /// Merges the partials at `paths` into what one run over all their records gives: a
    /// simulation's summary or a comparison's verdict. Refuses partials of different runs, a shard
    /// given twice, and (unless `allowMissingShards`) a shard not given. Returns the shards missing too.
    public static func merge(_ paths: [String], allowMissingShards: Bool = false) throws -> (merged: Merged, missing: [Int]) {
        guard !paths.isEmpty else { throw RouteSimError.usage("merge needs the partials to merge (files written by simulate --emit-partial)") }
        var parts: [(path: String, setup: Setup, contents: PartialFile.Contents)] = []
        for path in paths {
            let contents = try PartialFile.read(path)
            guard let setup = try? PartialFile.decoder().decode(Setup.self, from: contents.setup) else {
                throw RouteSimError.unreadableFile(path: path, reason: "its setup cannot be read: a damaged partial?")
            }
            if let first = parts.first {
                if let difference = first.setup.difference(from: setup) {
                    throw RouteSimError.usage("\(first.path) and \(path) \(difference): a merge takes the partials of one run, cut into shards")
                }
                if let same = parts.first(where: { $0.contents.shard == contents.shard }) {
                    throw RouteSimError.usage("\(same.path) and \(path) are both shard \(contents.shard.description): each shard is merged once")
                }
            }
            parts.append((path, setup, contents))
        }
        let setup = parts[0].setup
        let given = Set(parts.map(\.contents.shard.index))
        let missing = (0..<setup.shards).filter { !given.contains($0) }
        if !missing.isEmpty && !allowMissingShards {
            throw RouteSimError.usage("shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(setup.shards)" }.joined(separator: ", ")) of the log \(missing.count == 1 ? "is" : "are") missing: give every shard's partial, or --allow-missing-shards to merge only these (the figures then cover only their records)")
        }
        parts.sort { $0.contents.shard.index < $1.contents.shard.index }
        var result = parts[0].contents.result
        for part in parts.dropFirst() {
            let theirs = part.contents.result
            result.totals.merge(theirs.totals)
            result.recordsRead += theirs.recordsRead
            result.rejected += theirs.rejected
            if result.firstProblem == nil { result.firstProblem = theirs.firstProblem }
        }
        result.totals.canonicalize()
        if result.recordsRead == 0 {
            throw RouteSimError.usage("the partials \(paths.joined(separator: ", ")) hold no records: every shard of the log was empty, so there is nothing to report")
        }
        try result.requireRequests([])
        InputSnapshot.serve(setup.files)
        if let options = setup.comparison {
            var comparison = PolicyComparison(inputs: setup.inputs, baseline: options.baseline, candidate: options.candidate)
            comparison.maxCPIIncrease = options.maxCPIIncrease
            comparison.maxSuccessDrop = options.maxSuccessDrop
            comparison.alpha = options.alpha
            return (.comparison(try comparison.prepare().judge(result, comparison)), missing)
        }
        if let options = setup.sweep {
            let sweep = Sweep(inputs: setup.inputs, policyName: options.policyName, parameter: options.parameter, values: options.values)
            return (.sweep(try sweep.prepare().result(result), targetSuccess: options.targetSuccess), missing)
        }
        let prepared = try setup.simulation.prepare(production: .some(setup.production))
        var summary = try prepared.summary(result)
        summary.missingShards = missing.map { Shard(index: $0, count: setup.shards).description }
        return (.simulation(summary), missing)
    }
}

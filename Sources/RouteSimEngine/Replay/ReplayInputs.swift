import Foundation
import RouteSimModel

/// What every job that replays reads — logs or a store, their format, the catalog and its price
/// table, the policy files, mocked outcomes and the seed — and how it treats bad records. The
/// command line fills one value from its shared options; `simulate`, `compare` and `sweep` each
/// take it whole.
public struct ReplayInputs {
    public var logs: [String]
    /// Replay from a store instead of `logs`: its path and which records.
    public var store: (path: String, query: StoreQuery)?
    /// The logs' format, when not detected.
    public var format: LogFormat?
    public var catalogPath: String
    /// A LiteLLM price table for catalog entries with `price_from:`.
    public var pricesPath: String?
    /// Price every call at the prices in force at this time, recorded costs set aside
    /// (`--reprice-at`; docs/catalog.md, "Prices that change").
    public var repriceAt: Double?
    public var policyPaths: [String]
    /// Mocked outcomes for models the logs did not record.
    public var mockPath: String?
    /// Seed of the bootstrap and the mock draws; nil: the mock file's seed, else 1.
    public var seed: Int?
    /// Reject bad records (to a callback) instead of stopping at the first.
    public var skipInvalid = false
    /// Latencies kept one by one per policy, for exact percentiles (`Replay.exactLatencies`).
    public var exactLatencies = Replay.defaultExactLatencies
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init(logs: [String], catalogPath: String, policyPaths: [String]) {
        self.logs = logs
        self.catalogPath = catalogPath
        self.policyPaths = policyPaths
    }

    /// The store's selected records, or the log files.
    package func sources() throws -> [Replay.Source] {
        if let store { return [.store(try RecordStore(existing: store.path), store.query)] }
        return logs.map(Replay.Source.file)
    }

    package func catalog() throws -> ModelCatalog {
        let catalog = try ModelCatalog.load(path: catalogPath, pricesPath: pricesPath)
        return repriceAt.map(catalog.repriced(at:)) ?? catalog
    }

    package func policies(_ catalog: ModelCatalog) throws -> [Policy] {
        try PolicyLoader.load(paths: policyPaths, catalog: catalog)
    }

    /// The mock file, if any, and the run's seed: `seed`, else the mock file's, else 1.
    package func mockAndSeed(_ catalog: ModelCatalog) throws -> (mock: MockSpec?, seed: Int) {
        let mock = try mockPath.map { try MockSpec.load(path: $0, catalog: catalog) }
        return (mock, seed ?? mock?.seed ?? 1)
    }

    /// A replay of `policies` set up as these inputs say (threads, format, bad records, mock draws).
    package func replay(catalog: ModelCatalog, policies: [Policy], mock: MockSpec?, seed: Int) -> Replay {
        var replay = Replay(catalog: catalog, policies: policies)
        replay.skipInvalid = skipInvalid
        replay.exactLatencies = exactLatencies
        replay.threads = threads
        replay.format = format
        replay.mock = mock.map { ($0, MockDrawer.seed(run: seed)) }
        return replay
    }
}

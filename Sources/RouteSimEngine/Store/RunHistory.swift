import RouteSimModel
import RouteSimStatistics
import CZlib
import Foundation

/// Recorded runs of `simulate` and `compare` (`--record-run`), and the trend they show.
public struct RunHistory {
    package let store: RecordStore

    public init(store: RecordStore) {
        self.store = store
    }

    /// One recorded run, with the figures of the policy asked about.
    public struct Run: Sendable, Equatable {
        public var id: Int
        public var recordedAt: String
        public var command: String
        public var inputFingerprint: String
        public var policyHash: String
        public var version: String
        public var cpiUSD: Double?
        public var successRate: Double?
    }

    /// Stores a run: what it read, with which policies, and its JSON result.
    public func record(command: String, input: String, policyFiles: [String], summaryJSON: String) throws {
        let statement = try store.database.prepare("""
            INSERT INTO runs (recorded_at, command, input_fingerprint, policy_hash, routesim_version, summary)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        try statement.run([.text(ISOTime.format(Date().timeIntervalSince1970)), .text(command), .text(input),
                           .text(try Self.hash(files: policyFiles)), .text(RouteSim.version), .text(summaryJSON)])
    }

    /// Every run in order, with `policy`'s CPI and success (a compare run: the candidate's when it is `policy`);
    /// runs without that policy have no figures. A policy no run has is an error that lists those there are.
    public func runs(policy: String?) throws -> [Run] {
        let statement = try store.database.prepare(
            "SELECT id, recorded_at, command, input_fingerprint, policy_hash, routesim_version, summary FROM runs ORDER BY id")
        try statement.bind([])
        var runs: [Run] = []
        var names: Set<String> = []
        while try statement.step() {
            var run = Run(id: statement.integer(0), recordedAt: statement.text(1), command: statement.text(2),
                          inputFingerprint: statement.text(3), policyHash: statement.text(4), version: statement.text(5))
            let figures = Self.figures(in: statement.text(6), policy: policy)
            run.cpiUSD = figures.cpi
            run.successRate = figures.success
            runs.append(run)
            names.formUnion(Self.policyNames(in: statement.text(6)))
        }
        if let policy, !runs.isEmpty, !names.contains(policy) {
            throw RouteSimError.usage("no recorded run has a policy named '\(policy)'; the recorded runs have: \(names.sorted().joined(separator: ", "))")
        }
        return runs
    }

    /// The names of the policies a stored summary.json or compare.json reports on.
    package static func policyNames(in json: String) -> Set<String> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [] }
        if let policies = object["policies"] as? [[String: Any]] { return Set(policies.compactMap { $0["name"] as? String }) }
        return Set([object["baseline"], object["candidate"]].compactMap { $0 as? String })
    }

    /// The CPI and success rate of `policy` in a stored summary.json or compare.json.
    package static func figures(in json: String, policy: String?) -> (cpi: Double?, success: Double?) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return (nil, nil) }
        if let policies = object["policies"] as? [[String: Any]] {
            let wanted = policy ?? object["baseline"] as? String
            let match = policies.first { $0["name"] as? String == wanted } ?? (policy == nil ? policies.first : nil)
            return (match?["cpi_usd"] as? Double, match?["success_rate"] as? Double)
        }
        if let policy, object["candidate"] as? String != policy, object["baseline"] as? String != policy { return (nil, nil) }
        let side = policy == nil || object["candidate"] as? String == policy ? "candidate" : "baseline"
        return (object["cpi_\(side)_usd"] as? Double, object["success_\(side)"] as? Double)
    }

    /// CRC-32 of the files' contents, in order.
    package static func hash(files: [String]) throws -> String {
        var crc = crc32(0, nil, 0)
        for path in files {
            let data = Data(try TextFile.read(path).utf8)
            crc = data.withUnsafeBytes { crc32(crc, $0.bindMemory(to: UInt8.self).baseAddress, UInt32($0.count)) }
        }
        return "crc32:" + String(crc, radix: 16)
    }

    /// What a run read: the logs' fingerprints, or the store and its filter.
    public static func inputFingerprint(logs: [String], store: (path: String, query: StoreQuery)?) throws -> String {
        if let store {
            let opened = try RecordStore(existing: store.path)
            let query = store.query
            return "store: \(try query.count(in: opened)) of \(try opened.recordCount()) records; since \(query.since.map(ISOTime.format) ?? "-"); until \(query.until.map(ISOTime.format) ?? "-"); "
                + "categories \(query.categories.isEmpty ? "all" : query.categories.joined(separator: ","))"
        }
        return try logs.map { try RecordStore.fingerprint(path: $0).text }.joined(separator: " ")
    }
}

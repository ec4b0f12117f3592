import Foundation
import RouteSimModel

/// The file `simulate --emit-partial` writes and `merge` reads (docs/partials.md, "The partial
/// file"): a SQLite database of named parts — what the run was (`setup`, JSON the job defines),
/// which shard it replayed, and the replay's result: every accumulator as JSON, with the two
/// lists that grow with the log (each policy's latencies, each fleet's calls) as raw
/// little-endian arrays beside it.
package enum PartialFile {
    /// "RSPT" in the database header's application id: a partial, not a store.
    static let applicationID: Int32 = 0x5253_5054
    /// The layout's version; a partial of another is refused.
    package static let version = 1

    /// What one partial holds.
    package struct Contents {
        package var setup: Data
        package var shard: Shard
        package var result: Replay.Result

        package init(setup: Data, shard: Shard, result: Replay.Result) {
            self.setup = setup
            self.shard = shard
            self.result = result
        }
    }

    /// JSON of the same bytes for the same value (keys sorted), infinities as text.
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Foundation's decoder reads a partial's accumulators once per merge, never a record
    /// (docs/partials.md, "The partial file").
    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Writes `contents` to `path`, replacing a file there (a folder there is refused).
    package static func write(_ contents: Contents, to path: String) throws {
        var result = contents.result
        var parts: [(String, Data)] = [("setup", contents.setup), ("shard", try encoder().encode(contents.shard))]
        for index in result.totals.policies.indices {
            parts.append(("latencies/\(index)", result.totals.policies[index].latencies.withUnsafeBytes { Data($0) }))
            result.totals.policies[index].latencies = []
        }
        for (index, calls) in result.totals.capacityCalls.enumerated() {
            parts.append(("capacity/\(index)", calls.withUnsafeBytes { Data($0) }))
        }
        result.totals.capacityCalls = []
        parts.append(("result", try encoder().encode(result)))
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard !isFolder.boolValue else {
                throw RouteSimError.unwritableFile(path: path, reason: "it is a folder: --emit-partial takes the name of the file to write")
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        let database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA application_id = \(applicationID); PRAGMA user_version = \(version); CREATE TABLE part (name TEXT PRIMARY KEY, body BLOB NOT NULL)")
        try database.transaction {
            let insert = try database.prepare("INSERT INTO part (name, body) VALUES (?, ?)")
            for (name, body) in parts { try insert.run([.text(name), .blob(body)]) }
        }
    }

    /// Reads the partial at `path`; refuses a file that is not one, or of another layout.
    package static func read(_ path: String) throws -> Contents {
        try InputFile.checkIsFile(path)
        let database = try SQLiteDatabase(path: path, create: false, readOnly: true)
        let header = try? database.prepare("PRAGMA application_id")
        let version = try? database.prepare("PRAGMA user_version")
        guard let header, (try? header.step()) == true, header.integer(0) == Int(applicationID) else {
            throw RouteSimError.unreadableFile(path: path, reason: "it is not a partial written by routesim simulate --emit-partial")
        }
        guard let version, try version.step(), version.integer(0) == Self.version else {
            throw RouteSimError.unreadableFile(path: path, reason: "it is a partial of another layout (version \(version.map { $0.integer(0) } ?? 0); this routesim reads version \(Self.version)): write the partials again with this routesim")
        }
        var parts: [String: Data] = [:]
        let select = try database.prepare("SELECT name, body FROM part")
        try select.bind([])
        while try select.step() { parts[select.text(0)] = Data(select.bytes(1)) }
        func part(_ name: String) throws -> Data {
            guard let data = parts[name] else { throw RouteSimError.unreadableFile(path: path, reason: "the partial has no part '\(name)' (a damaged file?)") }
            return data
        }
        do {
            var result = try decoder().decode(Replay.Result.self, from: try part("result"))
            for index in result.totals.policies.indices {
                result.totals.policies[index].latencies = try array(of: Double.self, part("latencies/\(index)"))
            }
            let slots = parts.keys.filter { $0.hasPrefix("capacity/") }.count
            result.totals.capacityCalls = try (0..<slots).map { index in
                try array(of: DeploymentSimulation.Call.self, part("capacity/\(index)"))
            }
            return Contents(setup: try part("setup"), shard: try decoder().decode(Shard.self, from: try part("shard")), result: result)
        } catch let error as DecodingError {
            throw RouteSimError.unreadableFile(path: path, reason: "its parts cannot be read (\(error)): a damaged partial?")
        }
    }

    /// The values whose bytes `data` holds, copied out (a blob need not be aligned for them).
    private static func array<T: BitwiseCopyable>(of type: T.Type, _ data: Data) -> [T] {
        [T](unsafeUninitializedCapacity: data.count / MemoryLayout<T>.stride) { buffer, count in
            count = data.copyBytes(to: buffer) / MemoryLayout<T>.stride
        }
    }
}

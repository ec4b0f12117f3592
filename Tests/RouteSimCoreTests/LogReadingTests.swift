import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("Reading logs: canonical JSONL and long CSV (docs/log-formats.md, §2.2)")
struct LogReadingTests {
    static let single = "name: p\nkind: single\nmodel: small"

    /// Replays `text` (named `name`) through `policies`, collecting every rejected record.
    static func replay(_ text: String, name: String = "log.jsonl", policies: String = single, threads: Int = 1,
                       chunkSize: Int? = nil) throws -> (Replay.Result, [RecordProblem]) {
        let fixture = Fixture()
        let catalog = Fixture.catalog
        var replay = Replay(catalog: catalog, policies: try PolicyLoader.load(paths: [fixture.file("p.yaml", policies)], catalog: catalog))
        replay.skipInvalid = true
        replay.threads = threads
        if let chunkSize { replay.chunkSize = chunkSize }
        var problems: [RecordProblem] = []
        let result = try replay.run(files: [fixture.file(name, text)]) { problems.append($0) }
        return (result, problems)
    }

    static func line(_ extra: String = "", id: String = "a", outcomes: String = #""small":{"success":true}"#) -> String {
        #"{"id":"\#(id)","ts":"2026-10-01T00:00:00Z","input_tokens":10,"output_tokens":5\#(extra),"outcomes":{\#(outcomes)}}"#
    }

    @Test func acceptsEscapesUnicodeExponentsNullsUnknownFieldsAnyKeyOrder() throws {
        let lines = [
            #"{"outcomes":{"small":{"latency_ms":1.2e2,"success":true,"extra":{"deep":[1,{"x":null}]}}},"input_tokens":10,"ts":"2026-10-01T02:00:00+02:00","id":"q\"uote\\d é 🚀","output_tokens":5}"#,
            #"{"id":"\u00e9t\u00e9","ts":"2026-10-01T00:00:00.250Z","input_tokens":1E1,"output_tokens":5,"category":null,"router":null,"unknown":[true,false,null],"outcomes":{"small":{"success":false,"quality":null}}}"#,
        ]
        let (result, problems) = try Self.replay(lines.joined(separator: "\n") + "\n")
        #expect(problems.isEmpty, "\(problems)")
        #expect(result.totals.accepted == 2)
        let small = result.totals.policies[0]
        #expect(small.latencies == [120])
        #expect(result.totals.firstTimestamp == 1_790_812_800 && result.totals.lastTimestamp == 1_790_812_800.25)
    }

    @Test func decodesEveryFieldLikeAReferenceDecoder() throws {
        let text = #"{"id":"x\ty","ts":"2026-10-01T12:00:00Z","input_tokens":412,"output_tokens":96,"cached_input_tokens":12,"category":"faq","features":{"prompt_chars":1830,"has_code":false,"lang":"de"},"router":{"model":"small","confidence":0.97},"served_by":"large","propensity":1.0,"outcomes":{"small":{"success":true,"quality":0.91,"latency_ms":120.5,"output_tokens":90,"confidence":0.93},"large":{"success":true,"latency_ms":2900,"cost_usd":0.0213}}}"#
        let reference = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let decoder = JSONRecordDecoder(catalog: Fixture.catalog, featureKeys: ["prompt_chars", "has_code", "lang"])
        var record = Record(id: "", inputTokens: 0, outcomes: Array(repeating: nil, count: 3))
        var bytes = Array(text.utf8) + Array(repeating: 0, count: 64)
        try bytes.withUnsafeMutableBytes { buffer in
            try decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<text.utf8.count]), capacity: buffer.count, into: &record)
        }
        #expect(record.id == reference["id"] as? String)
        #expect(record.inputTokens == 412 && record.outputTokens == 96 && record.cachedInputTokens == 12)
        #expect(record.category == "faq" && record.servedBy == "large" && record.propensity == 1)
        #expect(record.routerModel == 0 && record.routerConfidence == 0.97)
        #expect(record.features == ["prompt_chars": .number(1830), "has_code": .bool(false), "lang": .string("de")])
        let outcomes = reference["outcomes"] as! [String: [String: Any]]
        #expect(record.outcomes[0] == Outcome(success: true, quality: outcomes["small"]!["quality"] as? Double, latencyMs: 120.5,
                                              outputTokens: 90, confidence: 0.93))
        #expect(record.outcomes[1] == nil)
        #expect(record.outcomes[2] == Outcome(success: true, latencyMs: 2900, costUSD: 0.0213))
    }

    @Test(arguments: [
        (#"{"ts":"2026-10-01T00:00:00Z","input_tokens":1,"outcomes":{"small":{"success":true}}}"#, "id", "is required"),
        (line().replacingOccurrences(of: #""input_tokens":10"#, with: #""input_tokens":"10""#), "input_tokens", "must be a number"),
        (line().replacingOccurrences(of: #""input_tokens":10"#, with: #""input_tokens":-3"#), "input_tokens", "must be a whole number >= 0"),
        (line(outcomes: #""small":{"success":true,"latency_ms":NaN}"#), "outcomes.small.latency_ms", "is not a JSON value"),
        (line(outcomes: #""small":{"success":true,"latency_ms":-1}"#), "outcomes.small.latency_ms", "must be >= 0"),
        (line(outcomes: #""small":{"success":"yes"}"#), "outcomes.small.success", "must be true or false"),
        (line(outcomes: #""small":{"latency_ms":3}"#), "outcomes.small.success", "is required"),
        (line(outcomes: #""small":{"success":true,"quality":1.5}"#), "outcomes.small.quality", "must be between 0 and 1"),
        (line(outcomes: ""), "outcomes", "must name at least one model"),
        (line(outcomes: #""huge":{"success":true}"#), "outcomes.huge", "model 'huge' is not in the catalog models.yaml"),
        (line().replacingOccurrences(of: "2026-10-01T00:00:00Z", with: "2026-02-30T00:00:00Z"), "ts", "must be an RFC 3339 timestamp"),
        (String(line().prefix(60)), "out", "the line ends inside this value"),
        (line(#","cached_input_tokens":11"#), "cached_input_tokens", "must not exceed input_tokens"),
        (line(#","cached_input_tokens":6,"cache_write_input_tokens":5"#), "cache_write_input_tokens", "must not exceed input_tokens"),
        (line(outcomes: #""small":{"success":true,"output_tokens":5,"reasoning_tokens":6}"#), "outcomes.small.reasoning_tokens", "must not exceed"),
        (line(outcomes: #""small":{"success":true,"cached_input_tokens":4}"#), "outcomes.small.input_tokens", "is required when the outcome gives its own cached"),
        (line(outcomes: #""small":{"success":true,"input_tokens":8,"cached_input_tokens":9}"#), "outcomes.small.cached_input_tokens", "must not exceed the outcome's input_tokens"),
        (line(outcomes: #""small":{"success":true,"input_tokens":8,"input_tokens":9}"#), "outcomes.small.input_tokens", "is given twice"),
        (line(#","features":{"nested":{"a":1}}"#), "features.nested", "flat map"),
        (line(outcomes: #""medium":{"success":true}"#), "outcomes.small", "policy 'p' needs model 'small'"),
    ])
    func malformedRecordsNameLineAndField(text: String, field: String, reason: String) throws {
        let (result, problems) = try Self.replay(Self.line(id: "ok") + "\n" + text + "\n")
        #expect(result.recordsRead == 2 && result.totals.accepted == 1 && result.rejected == 1)
        let problem = try #require(problems.first)
        #expect(problem.line == 2)
        #expect(problem.field == field)
        #expect(problem.reason.contains(reason), "\(problem.reason)")
        #expect(problem.raw == text)
    }

    @Test func anOutcomeMayCountItsOwnInputAndIsPricedAtIt() throws {
        // The request's 1,000 input tokens price small; medium's call used 2,000, 1,000 of them cached
        // ($10/M input, cached at the input price too): 1,000 × 10 + 1,000 × 10 + 500 × 20, per million.
        let text = Self.line(outcomes: #""small":{"success":true,"output_tokens":500},"medium":{"success":true,"output_tokens":500,"input_tokens":2000,"cached_input_tokens":1000}"#)
            .replacingOccurrences(of: #""input_tokens":10,"#, with: #""input_tokens":1000,"#)
        let (result, problems) = try Self.replay(text + "\n", policies: "name: s\nkind: single\nmodel: small\n---\nname: m\nkind: single\nmodel: medium\n")
        #expect(problems.isEmpty, "\(problems)")
        #expect(abs(result.totals.policies[0].cost.value - 0.002) < 1e-12)
        #expect(abs(result.totals.policies[1].cost.value - 0.03) < 1e-12)
    }

    @Test func duplicateIdsAreRejectedAcrossChunksAndThreads() throws {
        let text = (0..<50).map { Self.line(id: "id\($0 % 40)") }.joined(separator: "\n") + "\n"
        let (result, problems) = try Self.replay(text, threads: 2, chunkSize: 512)
        #expect(result.totals.accepted == 40 && result.rejected == 10 && result.recordsRead == 50)
        #expect(problems.map(\.line) == Array(41...50))
        #expect(problems[0].reason == "duplicate id 'id0' (first seen at \(problems[0].file):1)")
    }

    @Test func withoutSkipTheFirstBadRecordStopsTheRun() throws {
        let fixture = Fixture()
        let replay = Replay(catalog: Fixture.catalog, policies: [Policy(name: "p", kind: .single(model: 0))])
        let path = fixture.file("log.jsonl", Self.line() + "\n" + Self.line(id: "b", outcomes: "") + "\n")
        #expect(throws: RouteSimError.invalidInput(file: path, line: 2, field: "outcomes", reason: "must name at least one model")) {
            try replay.run(files: [path])
        }
    }

    @Test func blankLinesAreNotRecordsAndCRLFIsAccepted() throws {
        let (result, problems) = try Self.replay(Self.line() + "\r\n\r\n   \n" + Self.line(id: "b") + "\r\n")
        #expect(problems.isEmpty && result.recordsRead == 2 && result.totals.accepted == 2)
    }

    @Test func resultsDoNotDependOnThreadsOrChunking() throws {
        let text = (0..<300).map { index in
            Self.line(id: "r\(index)", outcomes: #""small":{"success":\#(index % 3 == 0),"latency_ms":\#(index).25}"#)
        }.joined(separator: "\n")
        let (one, _) = try Self.replay(text, threads: 1)
        let (many, _) = try Self.replay(text, threads: 3, chunkSize: 700)
        // Chunks smaller than one line: each chunk grows to hold its line.
        let (tiny, _) = try Self.replay(text + "\n", threads: 2, chunkSize: 50)
        #expect(tiny.totals.accepted == 300 && tiny.totals.policies[0].cost == one.totals.policies[0].cost)
        #expect(one.totals.policies[0].cost == many.totals.policies[0].cost)
        #expect(one.totals.policies[0].latencies == many.totals.policies[0].latencies)
        #expect(one.totals.policies[0].successes == many.totals.policies[0].successes)
    }

    @Test func csvGroupsRowsOfARequestWhereverTheyAre() throws {
        let csv = """
            id,ts,input_tokens,output_tokens,category,model,success,latency_ms,quality,cost_usd,confidence
            a,2026-10-01T00:00:00Z,1000,500,faq,small,true,100,,,0.9
            b,2026-10-01T01:00:00Z,1000,500,"billing, EU",small,false,100,,,
            a,2026-10-01T00:00:00Z,1000,500,faq,large,true,900,,0.5,
            b,2026-10-01T01:00:00Z,1000,500,"billing, EU",large,true,1000,,,

            """
        let (result, problems) = try Self.replay(csv, name: "log.csv", policies: "name: o\nkind: oracle")
        #expect(problems.isEmpty, "\(problems)")
        #expect(result.totals.accepted == 2)
        // a: small succeeds ($0.002); b: only large succeeds ($0.2 by the table).
        #expect(abs(result.totals.policies[0].cost.value - 0.202) < 1e-12)
    }

    @Test func csvQuotingFollowsRFC4180() throws {
        let csv = "id,ts,input_tokens,category,model,success\r\n"
            + "\"q,\r\n1\",2026-10-01T00:00:00Z,3,\"two, \"\"quoted\"\"\",small,true\r\n"
            + "q2,2026-10-01T00:00:00Z,3,\"\",small,false\r\n"
        let fixture = Fixture()
        let chunk = try CSVLogReader.read(path: fixture.file("log.csv", csv), catalog: Fixture.catalog)
        guard case let .records(records, raw, problems) = chunk.content else { Issue.record("no records"); return }
        #expect(problems.isEmpty)
        #expect(records.map(\.id) == ["q,\r\n1", "q2"])
        #expect(records[0].category == "two, \"quoted\"")
        #expect(records[1].category == nil)
        #expect(records.map(\.line) == [2, 4])
        #expect(raw[1] == "q2,2026-10-01T00:00:00Z,3,\"\",small,false")
    }

    @Test func csvProblemsNameLineAndField() throws {
        let csv = """
            id,ts,input_tokens,model,success
            a,2026-10-01T00:00:00Z,10,small,maybe
            b,2026-10-01T00:00:00Z,10,small,true
            b,2026-10-01T00:00:00Z,10,small,true
            c,2026-10-01T00:00:00Z,10,teapot,true

            """
        let (result, problems) = try Self.replay(csv, name: "log.csv")
        #expect(result.totals.accepted == 0 && result.rejected == 3 && result.recordsRead == 3)
        #expect(problems.map(\.line) == [2, 4, 5])
        #expect(problems.map(\.field) == ["success", "model", "model"])
    }

    /// Up to 16 categories a chunk are found by comparing names, more by an index. The first 200
    /// of 400 records cycle over 10 categories, the rest over 40: c0…c9 have 20 + 5 records, the
    /// others 5, and c7 fails on its last 5; counted alike with chunks of either kind.
    @Test func manyCategoriesAreCountedApart() throws {
        let text = (0..<400).map { index in
            let category = index < 200 ? index % 10 : index % 40
            return Self.line(#","category":"c\#(category)""#, id: "m\(index)",
                             outcomes: #""small":{"success":\#(category != 7 || index < 200)}"#)
        }.joined(separator: "\n") + "\n"
        for chunkSize in [1 << 20, 4096] {
            let (result, problems) = try Self.replay(text, threads: 2, chunkSize: chunkSize)
            #expect(problems.isEmpty)
            let names = result.totals.categoryNames, counts = result.totals.policies[0].categories
            #expect(Set(names) == Set((0..<40).map { "c\($0)" }) && names.count == 40)
            for (name, count) in zip(names, counts) {
                #expect(count.requests == (Int(name.dropFirst())! < 10 ? 25 : 5), "\(name)")
            }
            let c7 = try #require(names.firstIndex(of: "c7"))
            #expect(counts[c7].successes == 20 && counts.map(\.successes).reduce(0, +) == 395)
        }
    }

    /// A record's features: set, replaced, removed by nil, equal in any order, and unequal when
    /// a name or a value differs.
    @Test func featuresActAsAMapOfNames() {
        var features = Features()
        #expect(features.isEmpty && features["lang"] == nil)
        features["lang"] = .string("de")
        features["has_code"] = .bool(true)
        features["lang"] = .string("fr")
        #expect(features.count == 2 && features["lang"] == .string("fr") && features["has_code"] == .bool(true))
        #expect(features == ["has_code": .bool(true), "lang": .string("fr")])
        #expect(features != ["has_code": .bool(true), "lang": .string("de")])
        #expect(features != ["has_code": .bool(true), "tier": .string("fr")])
        #expect(features != ["has_code": .bool(true)])
        features["has_code"] = nil
        features["missing"] = nil
        #expect(features == ["lang": .string("fr")])
        features.removeAll(keepingCapacity: true)
        #expect(features.isEmpty && features == Features())
        #expect(Features(["a": .number(1), "b": .number(2)]) == ["b": .number(2), "a": .number(1)])
        var several: Features = ["a": .number(1), "b": .bool(false), "c": .string("x")]
        several.removeAll(keepingCapacity: true)
        #expect(several.isEmpty && several["a"] == nil && several["c"] == nil)
        several["c"] = .string("y")
        #expect(several == ["c": .string("y")])
        several.removeAll()
        #expect(several.isEmpty && several == Features())
    }

    /// Names are matched by their bytes: short runs as overlapping words, long ones by memcmp.
    /// Every length up to 40, equal, and different in each single byte, and different lengths.
    @Test func sameBytesComparesEveryByteOfEveryLength() {
        for count in 0...40 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: 97 + $0 * 7) }
            bytes.withUnsafeBytes { left in
                Array(bytes).withUnsafeBytes { right in #expect(left.sameBytes(as: right), "length \(count)") }
                (bytes + [0]).withUnsafeBytes { longer in #expect(!left.sameBytes(as: longer), "length \(count)") }
                for position in 0..<count {
                    var other = bytes
                    other[position] ^= 0x20
                    other.withUnsafeBytes { right in #expect(!left.sameBytes(as: right), "length \(count), byte \(position)") }
                }
            }
        }
    }
}

import CRecordParser
import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// The simdjson-based decoder against a straightforward reference: Foundation's JSONSerialization
/// plus the docs/log-formats.md field rules written out plainly.
@Suite("The fast parser agrees with a reference decoding")
struct ParserAgreementTests {
    static let lines = [
        // Escapes and unicode in ids, categories, feature strings and model-name keys.
        #"{"id":"a\"b\\c\/d\n\t\u00e9\ud83d\ude80","ts":"2026-10-01T12:00:00Z","input_tokens":5,"category":"caf\u00e9 \"q\"","features":{"lang":"d\u00e9","n":-1.5e-3},"outcomes":{"sm\u0061ll":{"success":true}}}"#,
        // Exponents, integral doubles, negative zero-ish values, large counts.
        #"{"id":"e","ts":"2026-10-01T12:00:00.125+05:30","input_tokens":1.2e3,"output_tokens":4E2,"cached_input_tokens":0.0,"outcomes":{"large":{"success":false,"latency_ms":1.5E+3,"quality":1e-1,"cost_usd":2.5e-05,"confidence":0E0,"output_tokens":12}}}"#,
        // Nulls for optional fields, nested unknown fields, arrays, keys in another order.
        #"{"outcomes":{"medium":{"confidence":null,"success":true,"extra":[{"a":[1,2,{"b":null}]}],"quality":null},"small":{"success":false,"latency_ms":0}},"unknown":{"x":{"y":[true,false]}},"router":{"confidence":0.5,"model":"medium","extra":1},"features":{"flag":true,"gone":null},"category":null,"output_tokens":null,"input_tokens":0,"ts":"2026-10-01T23:59:59-01:00","id":"z","served_by":"small","propensity":0.25}"#,
        // Whitespace everywhere JSON allows it.
        " { \"id\" : \"w\" ,\t\"ts\":\"2026-10-01t00:00:00z\" , \"input_tokens\" : 7 , \"outcomes\" : { \"large\" : { \"success\" : true } } } ",
    ]

    /// The reference: Foundation's JSONDecoder into plain Codable types, then the docs/log-formats.md rules.
    struct RecordJSON: Decodable {
        struct OutcomeJSON: Decodable {
            var success: Bool
            var quality, latency_ms, output_tokens, cost_usd, confidence: Double?
        }
        struct RouterJSON: Decodable {
            var model: String
            var confidence: Double?
        }
        enum FeatureJSON: Decodable {
            case bool(Bool), number(Double), string(String), null
            init(from decoder: Decoder) throws {
                let value = try decoder.singleValueContainer()
                if value.decodeNil() { self = .null }
                else if let flag = try? value.decode(Bool.self) { self = .bool(flag) }
                else if let number = try? value.decode(Double.self) { self = .number(number) }
                else { self = .string(try value.decode(String.self)) }
            }
        }
        var id, ts: String
        var input_tokens: Double
        var output_tokens, cached_input_tokens, propensity: Double?
        var category, served_by: String?
        var features: [String: FeatureJSON]?
        var router: RouterJSON?
        var outcomes: [String: OutcomeJSON]
    }

    static func reference(_ line: String, catalog: ModelCatalog) throws -> Record {
        let json = try JSONDecoder().decode(RecordJSON.self, from: Data(line.utf8))
        var outcomes = [Outcome?](repeating: nil, count: catalog.count)
        for (model, value) in json.outcomes {
            outcomes[catalog.index(of: model)!] = Outcome(
                success: value.success, quality: value.quality, latencyMs: value.latency_ms,
                outputTokens: value.output_tokens.map { Int($0) }, costUSD: value.cost_usd, confidence: value.confidence)
        }
        var features: [String: FeatureValue] = [:]
        for (key, value) in json.features ?? [:] {
            switch value {
            case let .bool(flag): features[key] = .bool(flag)
            case let .number(number): features[key] = .number(number)
            case let .string(text): features[key] = .string(text)
            case .null: break
            }
        }
        return Record(
            id: json.id, timestamp: parseRFC3339(json.ts)!, inputTokens: Int(json.input_tokens),
            outputTokens: json.output_tokens.map { Int($0) }, cachedInputTokens: Int(json.cached_input_tokens ?? 0),
            category: json.category, features: features, routerModel: json.router.flatMap { catalog.index(of: $0.model) },
            routerConfidence: json.router?.confidence, servedBy: json.served_by, propensity: json.propensity, outcomes: outcomes)
    }

    static func fast(_ line: String, catalog: ModelCatalog) throws -> Record {
        let decoder = JSONRecordDecoder(catalog: catalog, featureKeys: ["lang", "n", "flag", "gone"])
        var record = Record(id: "", inputTokens: 0, outcomes: Array(repeating: nil, count: catalog.count))
        var bytes = Array(line.utf8) + Array(repeating: 0, count: 64)
        let count = line.utf8.count
        try bytes.withUnsafeMutableBytes { buffer in
            try decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), capacity: buffer.count, into: &record)
        }
        return record
    }

    @Test(arguments: lines)
    func decodesLikeTheReference(line: String) throws {
        let catalog = Fixture.catalog
        let fast = try Self.fast(line, catalog: catalog), slow = try Self.reference(line, catalog: catalog)
        #expect(fast.id == slow.id)
        #expect(fast.timestamp == slow.timestamp)
        #expect(fast.inputTokens == slow.inputTokens && fast.outputTokens == slow.outputTokens)
        #expect(fast.cachedInputTokens == slow.cachedInputTokens)
        #expect(fast.category == slow.category)
        #expect(fast.features == slow.features)
        #expect(fast.routerModel == slow.routerModel && fast.routerConfidence == slow.routerConfidence)
        #expect(fast.servedBy == slow.servedBy && fast.propensity == slow.propensity)
        #expect(fast.outcomes == slow.outcomes)
    }

    /// The parser matches the catalog's names byte for byte (escapes read first) as it reads the
    /// outcomes and the router's model; any other name is left to the caller's aliases (-1).
    @Test func catalogNamesAreMatchedAsTheyAreRead() throws {
        let parser = try #require(rp_parser_create())
        defer { rp_parser_destroy(parser) }
        let names = ["small", "medium", "large"].map { Array($0.utf8CString) }
        names[0].withUnsafeBufferPointer { small in
            names[1].withUnsafeBufferPointer { medium in
                names[2].withUnsafeBufferPointer { large in
                    let views = [small, medium, large].map { rp_str(ptr: $0.baseAddress!, len: $0.count - 1) }
                    rp_parser_set_models(parser, views, views.count)
                }
            }
        }
        let line = #"{"id":"a","ts":"2026-10-01T00:00:00Z","input_tokens":1,"router":{"model":"medium"},"outcomes":{"large":{"success":true},"sm\u0061ll":{"success":true},"Small":{"success":true},"mediu":{"success":true}}}"#
        var bytes = Array(line.utf8) + Array(repeating: 0, count: Int(rp_padding()))
        var raw = rp_record()
        let status = bytes.withUnsafeMutableBufferPointer {
            rp_parse(parser, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), line.utf8.count, $0.count, &raw)
        }
        try #require(status == 0)
        #expect((0..<raw.outcome_count).map { raw.outcomes[$0].model_index } == [2, 0, -1, -1])
        #expect(raw.router_model_index == 1)
    }

    /// Names of every length to 40 are matched whole: one that differs in its first or last
    /// byte only is not the catalog's (the comparison changes with the length).
    @Test func catalogNamesOfEveryLengthAreMatchedWhole() throws {
        for length in 1...40 {
            let name = String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            let parser = try #require(rp_parser_create())
            defer { rp_parser_destroy(parser) }
            Array(name.utf8CString).withUnsafeBufferPointer {
                var view = rp_str(ptr: $0.baseAddress!, len: length)
                rp_parser_set_models(parser, &view, 1)
            }
            // With one byte, the first is the last.
            let keys = [name, "Z" + name.dropFirst()] + (length > 1 ? [name.dropLast() + "Z"] : [])
            let outcomes = keys.map { #""\#($0)":{"success":true}"# }.joined(separator: ",")
            let line = #"{"id":"a","ts":"2026-10-01T00:00:00Z","input_tokens":1,"outcomes":{\#(outcomes)}}"#
            var bytes = Array(line.utf8) + Array(repeating: 0, count: Int(rp_padding()))
            var raw = rp_record()
            let status = bytes.withUnsafeMutableBufferPointer {
                rp_parse(parser, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), line.utf8.count, $0.count, &raw)
            }
            try #require(status == 0, "length \(length)")
            let expected: [Int32] = length == 1 ? [0, -1] : [0, -1, -1]
            #expect((0..<raw.outcome_count).map { raw.outcomes[$0].model_index } == expected, "length \(length)")
        }
    }

    @Test func timestampsWithOffsetsAndFractions() {
        let noonInIndia: Double = 1_790_812_800 + 12 * 3600 + 0.125 - 5.5 * 3600
        #expect(parseRFC3339("2026-10-01T12:00:00.125+05:30") == noonInIndia)
        #expect(parseRFC3339("2024-02-29T00:00:00Z") == 1_709_164_800)
        #expect(parseRFC3339("2023-02-29T00:00:00Z") == nil)
        #expect(parseRFC3339("2026-10-01T24:00:00Z") == nil)
        #expect(parseRFC3339("2026-10-01 12:00:00") == nil)
        #expect(parseRFC3339("2026-10-01T12:00:00+0530") == nil)
    }
}

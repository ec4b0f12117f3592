import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// An in-process mutation fuzzer for the readers written in Swift — the long CSV reader and the
/// YAML loaders (catalog, policies, SLO, mock, ROI) — and for the record decoder as Swift calls
/// it. Each input is a seed mutated by byte flips, deletions, duplications and insertions of
/// tokens that break parsers; each must be read or refused with a RouteSimError, never crash.
/// `ROUTESIM_FUZZ_ITERATIONS` sets the count per target (`make fuzz` runs many; `make test` a
/// few thousand). The record parser itself is fuzzed by libFuzzer (fuzz/record_fuzzer.cpp).
@Suite("Fuzzing the readers in process")
struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["ROUTESIM_FUZZ_ITERATIONS"] ?? "") ?? 1500

    /// SplitMix64: a small seeded generator, so that a run can be repeated exactly.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let tokens: [[UInt8]] = ["\"", ",", "\n", "\r", "\t", ":", "{", "}", "[", "]", "- ", "*a", "&a ", "!!str ", "~", "null",
                                    "NaN", "1e400", "-1", "0x10", "\u{0}", "\u{FEFF}", "é", "---\n", "#", "'", "\\", "%YAML 1.2\n",
                                    "9999999999999999999999", "<<: *a\n"].map { Array($0.utf8) }

    static func mutate(_ seed: [UInt8], _ random: inout Generator) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(1 + random.below(4)) {
            let position = random.below(bytes.count + 1)
            switch random.below(5) {
            case 0 where !bytes.isEmpty: bytes[min(position, bytes.count - 1)] ^= UInt8(1 << random.below(8))
            case 1 where !bytes.isEmpty: bytes.removeSubrange(position..<min(bytes.count, position + 1 + random.below(8)))
            case 2: bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: position)
            case 3 where !bytes.isEmpty:
                let start = random.below(bytes.count)
                bytes.insert(contentsOf: bytes[start..<min(bytes.count, start + 1 + random.below(32))], at: position)
            default: bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }

    /// Runs `body` on `iterations` mutations of each seed; only RouteSimError may come out.
    static func fuzz(_ seeds: [String], seed: UInt64, _ body: ([UInt8]) throws -> Void) {
        var random = Generator(state: seed)
        var unexpected: [String] = []
        for index in 0..<iterations {
            let input = mutate(Array(seeds[index % seeds.count].utf8), &random)
            do {
                try body(input)
            } catch is RouteSimError {
            } catch {
                unexpected.append("\(error) for \(String(decoding: input, as: UTF8.self).prefix(200))")
            }
        }
        #expect(unexpected.isEmpty, "\(unexpected.prefix(3))")
    }

    static func text(_ bytes: [UInt8]) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RouteSimError.invalidInput(file: "fuzz", line: 1, field: "", reason: "not UTF-8")
        }
        return text
    }

    @Test func theCSVReaderReadsOrRefuses() {
        let seed = "id,ts,input_tokens,output_tokens,category,model,success,latency_ms,quality,cost_usd,confidence\n"
            + "a,2026-10-01T00:00:00Z,1000,500,\"faq, \"\"x\"\"\",small,true,100,0.5,,0.9\n"
            + "a,2026-10-01T00:00:00Z,1000,500,\"faq, \"\"x\"\"\",large,false,900,,0.2,\n"
        Self.fuzz([seed], seed: 1) { bytes in
            let chunk = try CSVLogReader.read(bytes: bytes, path: "fuzz.csv", catalog: Fixture.catalog)
            if case let .records(records, raw, _) = chunk.content { #expect(records.count == raw.count) }
        }
    }

    @Test(.tags(.slow)) func theYAMLLoadersReadOrRefuse() {
        let catalogs = [Fixture.catalogYAML, "models:\n  a: &x {tier: 1, per_call_usd: 0.5}\n  b: *x\nreview: {cost_usd: 1}\n"]
        Self.fuzz(catalogs, seed: 2) { bytes in _ = try ModelCatalog.parse(try Self.text(bytes), file: "m.yaml") }
        let policies = [
            "name: r\nkind: router\nrules:\n  - if: {category: [faq, x], input_tokens: {gt: 2000}, features.s: {matches: 'a.*'}}\n    model: large\ndefault: small\n---\nname: o\nkind: oracle\n",
            "name: c\nkind: cascade\nsteps:\n  - model: small\n    accept_if: {confidence: {gte: 0.8}}\n  - model: large\ncheck: {cost_usd: 0.1, latency_ms: 2}\n",
            "name: s\nkind: router\nuse_recorded: true\nconfidence: {use_at_least: 0.9, review_at_least: 0.5, below: escalate}\n---\nname: e\nkind: ensemble\nmodels: [small, large]\ncombine: best_quality\n",
        ]
        Self.fuzz(policies, seed: 3) { bytes in
            for document in try YAMLNode.documents(of: try Self.text(bytes), file: "p.yaml") {
                _ = try PolicyLoader.parse(document, catalog: Fixture.catalog)
            }
        }
        Self.fuzz(["window: 1d\nsuccess: 0.9\nrouting_accuracy: 0.8\nmodels: {small: 0.9}\n"], seed: 4) { bytes in
            _ = try SLOSpec.parse(try Self.text(bytes), file: "slo.yaml", catalog: Fixture.catalog)
        }
        Self.fuzz(["seed: 1\nmodels:\n  large:\n    success: {default: 0.8, by_category: {faq: 0.9}}\n    latency_ms: {median: 600, sigma: 0.4}\n    output_ratio: 1.0\n    confidence: {if_success: [8, 2], if_failure: [3, 5]}\n"], seed: 5) { bytes in
            _ = try MockSpec.parse(try Self.text(bytes), file: "mock.yaml", catalog: Fixture.catalog)
        }
        Self.fuzz(["monthly_requests: 1000\nbaseline: large\navg_input_tokens: 10\navg_output_tokens: 5\nmodels:\n  small: {per_call_usd: 0.1}\n  large: {input_per_mtok: 1, output_per_mtok: 2}\nmix: {small: 0.5, large: 0.5}\n"], seed: 6) { bytes in
            _ = try ROIScenario.parse(try Self.text(bytes), file: "roi.yaml")
        }
    }

    @Test func theRecordDecoderReadsOrRefuses() {
        let decoder = JSONRecordDecoder(catalog: Fixture.catalog, featureKeys: ["f"])
        var record = Record(id: "", inputTokens: 0, outcomes: Array(repeating: nil, count: 3))
        Self.fuzz([MalformedInputSuiteTests.good.replacingOccurrences(of: "ID", with: "x")], seed: 7) { bytes in
            var padded = bytes + Array(repeating: 0, count: 64)
            try padded.withUnsafeMutableBytes { buffer in
                do throws(FieldProblem) {
                    try decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<bytes.count]), capacity: buffer.count, into: &record)
                } catch {
                    #expect(!error.reason.isEmpty)
                }
            }
        }
    }

    @Test func theForeignFormatsReadOrRefuse() {
        let seeds: [(LogFormat, String)] = [
            (.litellm, #"{"id":"x","trace_id":"t","call_type":"completion","model":"small","status":"success","prompt_tokens":10,"completion_tokens":5,"startTime":1700000000,"endTime":1700000001.5,"response_cost":0.001,"metadata":{"tags":["faq"]}}"#),
            (.openAIBatch, #"{"custom_id":"r1","response":{"status_code":200,"body":{"model":"small","created":1700000000,"usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":2}}}}}"#),
            (.langfuse, #"{"id":"o","traceId":"t","type":"GENERATION","startTime":"2026-10-01T00:00:00Z","endTime":"2026-10-01T00:00:01Z","model":"small","usageDetails":{"input":8,"input_cached_tokens":2,"output":5},"costDetails":{"total":0.001},"parentObservationId":null}"#),
            (.helicone, #"{"request_id":"r","request_created_at":"2026-10-01 00:00:00","response_status":200,"model":"small","prompt_tokens":8,"prompt_cache_read_tokens":2,"completion_tokens":5,"cost":0.001,"request_properties":{"Helicone-Session-Id":"s"}}"#),
            (.otelGenAI, #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"t","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000","attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"small"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"10"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"5"}}]}]}]}]}"#),
        ]
        for (index, (format, seed)) in seeds.enumerated() {
            Self.fuzz([seed], seed: 10 + UInt64(index)) { bytes in
                let text = String(decoding: bytes, as: UTF8.self)
                let object = ((try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any])
                    .map { Result<[String: Any], FieldProblem>.success($0) } ?? .failure(FieldProblem(field: "", reason: "not an object"))
                let chunk = ForeignLog.join([(1, text, object)], path: "f", catalog: Fixture.catalog, converter: LogFormat.converter(format)!)
                guard case let .records(records, _, _) = chunk.content else { return }
                for record in records {
                    do throws(FieldProblem) { try RecordRules.check(record, catalog: Fixture.catalog) } catch {}
                }
            }
        }
    }

    /// Inputs that once crashed a reader, kept in fuzz/regressions/, are read or refused now.
    @Test func regressionInputsAreReadOrRefused() throws {
        let directory = RouteSimBinaryRoot.path + "/fuzz/regressions"
        let decoder = JSONRecordDecoder(catalog: Fixture.catalog, featureKeys: [])
        var record = Record(id: "", inputTokens: 0, outcomes: Array(repeating: nil, count: 3))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !name.hasPrefix(".") {
            let bytes = Array(FileManager.default.contents(atPath: "\(directory)/\(name)") ?? Data())
            var padded = bytes + Array(repeating: 0, count: 64)
            padded.withUnsafeMutableBytes { buffer in
                try? decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<bytes.count]), capacity: buffer.count, into: &record)
            }
            _ = try? CSVLogReader.read(bytes: bytes, path: name, catalog: Fixture.catalog)
            if let text = String(validating: bytes, as: UTF8.self) { _ = try? ModelCatalog.parse(text, file: name) }
        }
    }
}

/// The repository's root, found from this file's path.
enum RouteSimBinaryRoot {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

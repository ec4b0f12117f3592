import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Every field of a record, a catalog and a policy, each made absent, null, of the wrong type,
/// negative, NaN, huge, empty or very long: each is refused naming file, line and field, or
/// accepted with the meaning docs/log-formats.md gives it — never a crash, and with
/// `--skip-invalid` accepted + rejected = read.
@Suite("Malformed input, field by field")
struct MalformedInputSuiteTests {
    static let good = #"{"id":"ID","ts":"2026-10-01T00:00:00Z","input_tokens":1000,"output_tokens":500,"cached_input_tokens":10,"cache_write_input_tokens":5,"category":"faq","features":{"f":1},"router":{"model":"small","confidence":0.9},"served_by":"small","propensity":0.5,"outcomes":{"small":{"success":true,"quality":0.5,"latency_ms":100,"output_tokens":400,"cost_usd":0.001,"confidence":0.9,"reasoning_tokens":10},"large":{"success":true}}}"#

    static let variants: [(name: String, json: String?)] = [
        ("absent", nil), ("null", "null"), ("a string", #""x""#), ("a number", "7"), ("a list", "[1]"), ("an object", #"{"a":1}"#),
        ("negative", "-1"), ("NaN", "NaN"), ("+huge", "1e400"), ("-huge", "-1e400"), ("finite huge", "1e300"),
        ("empty", #""""#), ("very long", "\"" + String(repeating: "x", count: 100_000) + "\""),
        ("long number", String(repeating: "9", count: 5_000)), ("fraction", "0.5"), ("true", "true"),
    ]

    /// `good` with the field at `path` replaced by `json` (removed when nil).
    static func record(_ path: [String], _ json: String?, id: String) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(good.utf8)) as! [String: Any]
        object["id"] = id
        let marker = "__VALUE__"
        func set(_ dictionary: inout [String: Any], _ rest: ArraySlice<String>) {
            guard let key = rest.first else { return }
            if rest.count == 1 {
                dictionary[key] = json == nil ? nil : marker
            } else {
                var child = dictionary[key] as? [String: Any] ?? [:]
                set(&child, rest.dropFirst())
                dictionary[key] = child
            }
        }
        set(&object, path[...])
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        return text.replacingOccurrences(of: "\"\(marker)\"", with: json ?? "null")
    }

    static let recordFields: [[String]] = [
        ["id"], ["ts"], ["input_tokens"], ["output_tokens"], ["cached_input_tokens"], ["cache_write_input_tokens"], ["category"],
        ["features"], ["features", "f"], ["router"], ["router", "model"], ["router", "confidence"], ["served_by"], ["propensity"],
        ["outcomes"], ["outcomes", "small"], ["outcomes", "small", "success"], ["outcomes", "small", "quality"],
        ["outcomes", "small", "latency_ms"], ["outcomes", "small", "output_tokens"], ["outcomes", "small", "cost_usd"],
        ["outcomes", "small", "confidence"], ["outcomes", "small", "reasoning_tokens"],
    ]

    @Test(arguments: recordFields)
    func everyRecordFieldIsRefusedWithItsNameOrAccepted(path: [String]) throws {
        var lines = [Self.good.replacingOccurrences(of: "\"ID\"", with: "\"ok\"")]
        for (index, variant) in Self.variants.enumerated() { lines.append(try Self.record(path, variant.json, id: "v\(index)")) }
        let policies = "name: p\nkind: single\nmodel: small\n---\nname: c\nkind: cascade\nsteps:\n  - model: small\n    accept_if: {confidence: {gte: 0.5}}\n  - model: large\n"
        let (result, problems) = try LogReadingTests.replay(lines.joined(separator: "\n") + "\n", policies: policies)
        #expect(result.totals.accepted + result.rejected == result.recordsRead)
        #expect(result.recordsRead == lines.count)
        #expect(!problems.contains { $0.line == 1 }, "the good line was refused: \(problems.filter { $0.line == 1 })")
        let name = path.joined(separator: ".")
        for problem in problems {
            #expect(problem.line > 1 && problem.file.hasSuffix("log.jsonl"))
            #expect(!problem.field.isEmpty, "\(name), line \(problem.line): no field in '\(problem.reason)'")
        }
        // Each refusal of a value given for this field names this field (or a part of it).
        for problem in problems where problem.line > 1 {
            let variant = Self.variants[problem.line - 2]
            if variant.json != nil && !["id", "outcomes", "outcomes.small"].contains(name) && problem.field != "outcomes.small" {
                #expect(problem.field.hasPrefix(name) || name.hasPrefix(problem.field) || problem.field == "outcomes.large"
                        || problem.field.hasPrefix("outcomes.small.reasoning_tokens") || problem.field.hasPrefix("cache")
                        || (name == "output_tokens" && problem.field.hasSuffix(".output_tokens")),
                        "\(name) as \(variant.name): refused at \(problem.field): \(problem.reason)")
            }
        }
    }

    static let catalogFields = ["tier", "input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "per_call_usd",
                                "cache_write_input_per_mtok", "reasoning_output_per_mtok"]
    static let yamlVariants = ["~", "[1]", "{a: 1}", "-1", ".nan", "1e400", "-1e400", "''", "0x10",
                               "'" + String(repeating: "9", count: 5_000) + "'", "true"]

    @Test(arguments: catalogFields)
    func everyCatalogFieldIsRefusedWithItsNameOrAccepted(field: String) throws {
        for variant in Self.yamlVariants + ["absent"] {
            var entry = ["tier: 1", "input_per_mtok: 1", "output_per_mtok: 2"].filter { !$0.hasPrefix(field + ":") }
            if variant != "absent" { entry.append("\(field): \(variant)") }
            let yaml = "models:\n  small: {\(entry.joined(separator: ", "))}\n"
            do {
                let catalog = try ModelCatalog.parse(yaml, file: "m.yaml")
                // Accepted: only a valid value, or no value where the field is optional.
                #expect(variant == "absent" && field != "tier" || ["0x10"].contains(variant) == false, "\(field): \(variant) accepted")
                #expect(catalog.count == 1)
            } catch let RouteSimError.invalidInput(file, line, name, _) {
                #expect(file == "m.yaml" && line == 2, "\(field): \(variant)")
                #expect(name == "models.small.\(field)" || name == "models.small", "\(field): \(variant) named \(name)")
            }
        }
    }

    static let policyCases: [(yaml: String, field: String)] = [
        ("name: p\nkind: single\nmodel: VALUE\n", "model"),
        ("name: VALUE\nkind: single\nmodel: small\n", "name"),
        ("name: p\nkind: VALUE\n", "kind"),
        ("name: p\nkind: single\nmodel: small\noverhead: {cost_usd: VALUE}\n", "overhead.cost_usd"),
        ("name: p\nkind: single\nmodel: small\noverhead: {latency_ms: VALUE}\n", "overhead.latency_ms"),
        ("name: p\nkind: router\nrules:\n  - if: {input_tokens: {gt: VALUE}}\n    model: large\ndefault: small\n", "rules[0].if.input_tokens.gt"),
        ("name: p\nkind: router\nrules: VALUE\ndefault: small\n", "rules"),
        ("name: p\nkind: router\nuse_recorded: true\nconfidence: {use_at_least: VALUE}\n", "confidence.use_at_least"),
        ("name: p\nkind: cascade\nsteps:\n  - model: small\n    accept_if: {confidence: {gte: VALUE}}\n  - model: large\n", "steps[0].accept_if.confidence.gte"),
        ("name: p\nkind: cascade\nsteps: VALUE\n", "steps"),
        ("name: p\nkind: ensemble\nmodels: VALUE\n", "models"),
        ("name: p\nkind: ensemble\nmodels: [small, large]\ncombine: VALUE\n", "combine"),
    ]

    @Test func everyPolicyFieldIsRefusedWithItsNameOrAccepted() throws {
        for (template, field) in Self.policyCases {
            for variant in Self.yamlVariants {
                let yaml = template.replacingOccurrences(of: "VALUE", with: variant)
                do {
                    _ = try PolicyLoader.parse(try YAMLNode.document(of: yaml, file: "p.yaml"), catalog: Fixture.catalog)
                    // Accepted: a number that is a valid threshold, or a name that is printable.
                    // A threshold outside a field's range is allowed: it accepts always, or never.
                    let threshold = field.hasSuffix(".gt") || field.hasSuffix(".gte")
                    #expect(["-1", "true", "''"].contains(variant) == false || field == "name" || threshold,
                            "\(field) = \(variant) accepted")
                } catch let RouteSimError.invalidInput(file, line, name, _) {
                    #expect(file == "p.yaml" && line > 0, "\(field) = \(variant)")
                    #expect(!name.isEmpty, "\(field) = \(variant): no field")
                }
            }
        }
    }

    @Test func yamlAliasesThatExpandExponentiallyAreHarmless() throws {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1..<30 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]") }
        let bomb = lines.joined(separator: "\n")
        #expect(throws: RouteSimError.self) { _ = try ModelCatalog.parse("models: {}\nextra:\n" + bomb.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"), file: "m.yaml") }
        #expect(throws: RouteSimError.self) {
            _ = try PolicyLoader.parse(try YAMLNode.document(of: "name: p\nkind: ensemble\n" + bomb + "\nmodels: *a29\n", file: "p.yaml"), catalog: Fixture.catalog)
        }
        let fixture = Fixture()
        _ = Validation.anyModel(in: [fixture.file("p.yaml", "name: p\nkind: oracle\n" + bomb + "\n")])
    }

    @Test(.tags(.slow)) func deepNestingAndDuplicateIdsAndHugeFiles() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let lines = [LogReadingTests.line(id: "a"), LogReadingTests.line(#","extra":\#(deep)"#, id: "b"), LogReadingTests.line(id: "a")]
        let (result, problems) = try LogReadingTests.replay(lines.joined(separator: "\n") + "\n")
        #expect(result.totals.accepted == 1 && result.rejected == 2)
        #expect(problems.map(\.field) == ["extra", "id"])
        // 100,000 records read in one pass, accepted + rejected = read.
        let many = (0..<100_000).map { index in index % 1000 == 0 ? "{\"id\":\(index)}" : LogReadingTests.line(id: "m\(index)") }
        let (big, bigProblems) = try LogReadingTests.replay(many.joined(separator: "\n") + "\n", threads: 2)
        #expect(big.recordsRead == 100_000 && big.totals.accepted == 99_900 && bigProblems.count == 100)
    }
}

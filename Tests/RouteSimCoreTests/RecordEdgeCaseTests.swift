import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Records that used to be read wrongly without a word: each is now refused with file, line and
/// field, or read with the meaning docs/log-formats.md gives it.
@Suite("Record edge cases: the truth or a clear refusal")
struct RecordEdgeCaseTests {
    static func line(_ extra: String = "", id: String = "a", outcomes: String = #""small":{"success":true}"#) -> String {
        LogReadingTests.line(extra, id: id, outcomes: outcomes)
    }

    /// The one problem a one-bad-line log gives, after a good first line.
    static func problem(_ text: String, name: String = "log.jsonl") throws -> RecordProblem {
        let (result, problems) = try LogReadingTests.replay(line(id: "ok") + "\n" + text + "\n", name: name)
        #expect(result.totals.accepted == 1 && result.rejected == 1 && result.recordsRead == 2)
        return try #require(problems.first)
    }

    static let malformed: [(String, String, String)] = [
        // Two objects on one line: the second used to be dropped.
        (line() + line(id: "b"), "", "more follows the record"),
        // Trailing content after the record's object.
        (line() + "}}", "", "more follows the record"),
        // Junk under unknown keys used to be skipped unread.
        (line(#","extra":nope"#), "extra", "not a JSON value"),
        (line(#","extra":NaN"#), "extra", "not a JSON value"),
        (line(#","extra":01"#), "extra", "not a valid JSON number"),
        (line(#","extra":{"deep":[1,tru]}"#), "extra.deep[1]", "not a JSON value"),
        // A known key given twice used to take the last value silently.
        (line(outcomes: #""small":{"success":true,"cost_usd":0.00009,"cost_usd":15}"#), "outcomes.small.cost_usd", "given twice"),
        (line(#","input_tokens":99"#), "input_tokens", "given twice"),
        (line(#","router":{"model":"small","model":"large"}"#), "router.model", "given twice"),
        (line(#","features":{"a":1,"a":2}"#), "features.a", "given twice"),
        // A near-miss of a field routesim reads is a misspelling, not an unknown field.
        (line(outcomes: #""small":{"success":true,"confidense":0.9}"#), "outcomes.small.confidense", "did you mean 'confidence'"),
        (line(#","categroy":"faq""#), "categroy", "did you mean 'category'"),
        (line(#","router":{"model":"small","Confidence":0.2}"#), "router.Confidence", "did you mean 'confidence'"),
        // Truncated lines and bad bytes name the field they break.
        (String(line().prefix(90)), "outcomes.sma", "ends inside"),
        (line(",\"category\":\"a\u{01}b\""), "category", "control character"),
        (line(#","category":"a\nb""#), "category", "control character"),
    ]

    @Test(arguments: malformed)
    func malformedJSONIsRefusedNamingTheField(text: String, field: String, reason: String) throws {
        let problem = try Self.problem(text)
        #expect(problem.line == 2)
        #expect(problem.field == field)
        #expect(problem.reason.contains(reason), "\(problem.reason)")
    }

    /// The decoder checks each distinct name once and remembers only those that pass: a bad
    /// category, served_by or step name is refused every time it comes, and a record with an
    /// earlier problem too names that problem first, as the record rules order them.
    @Test func namesAreCheckedOnceButABadNameIsRefusedEveryTime() throws {
        let bad = #","category":"a\u0001b""#
        let lines = [
            Self.line(#","category":"faq""#, id: "good-1"), Self.line(#","category":"faq""#, id: "good-2"),
            Self.line(bad, id: "bad-1"), Self.line(bad, id: "bad-2"),
            Self.line(#","cached_input_tokens":99"# + bad, id: "bad-3"),
            Self.line(#","served_by":"small\u007F""#, id: "bad-4"), Self.line(#","served_by":"small\u007F""#, id: "bad-5"),
            #"{"id":"bad-6","ts":"2026-10-01T00:00:00Z","steps":[{"name":"in\ttake","input_tokens":3,"outcomes":{"small":{"success":true}}}]}"#,
            #"{"id":"bad-7","ts":"2026-10-01T00:00:00Z","steps":[{"name":"in\ttake","input_tokens":3,"outcomes":{"small":{"success":true}}}]}"#,
        ]
        let (result, problems) = try LogReadingTests.replay(lines.joined(separator: "\n") + "\n")
        #expect(result.totals.accepted == 2 && result.rejected == 7)
        #expect(problems.map(\.field) == ["category", "category", "cached_input_tokens", "served_by", "served_by", "steps[0].name", "steps[0].name"])
        #expect(problems.allSatisfy { $0.reason.contains("control character") || $0.reason.contains("must not exceed input_tokens") })
    }

    @Test func unknownFieldsFarFromKnownOnesAreStillIgnored() throws {
        let (result, problems) = try LogReadingTests.replay(
            Self.line(#","trace":{"span":"x","attempts":[1,2.5e3,null,false]},"tenant":"acme""#,
                 outcomes: #""small":{"success":true,"response_text":"hi","provider":"x"}"#) + "\n")
        #expect(problems.isEmpty, "\(problems)")
        #expect(result.totals.accepted == 1)
    }

    @Test func invalidUTF8NamesTheFieldThatHoldsIt() throws {
        let fixture = Fixture()
        var bytes = Array((Self.line(id: "ok") + "\n").utf8)
        bytes += Array(#"{"id":"b","ts":"2026-10-01T00:00:00Z","input_tokens":10,"category":""#.utf8) + [0xC3, 0x28]
        bytes += Array(#"","outcomes":{"small":{"success":true}}}"#.utf8) + [10]
        let path = "\(fixture.directory)/log.jsonl"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let problem = try #require(try Self.replayFile(path).first)
        #expect(problem.line == 2 && problem.field == "category")
        #expect(problem.reason.contains("not valid UTF-8"), "\(problem.reason)")
    }

    @Test func carriageReturnOnlyLineEndingsAreNamed() throws {
        let text = (0..<20).map { Self.line(id: "r\($0)") }.joined(separator: "\r") + "\r"
        let (result, problems) = try LogReadingTests.replay(text)
        #expect(result.totals.accepted == 0 && result.rejected == 1)
        #expect(problems.first?.reason.contains("carriage return") == true, "\(problems)")
    }

    @Test func aByteOrderMarkIsNamed() throws {
        let (_, problems) = try LogReadingTests.replay("\u{FEFF}" + Self.line() + "\n")
        #expect(problems.first?.reason.contains("byte-order mark") == true, "\(problems)")
        #expect(problems.first?.line == 1)
    }

    static let wholeDocuments: [(String, String)] = [
        ("[\n  " + Self.line() + ",\n  " + Self.line(id: "b") + "\n]\n", "one JSON array"),
        ("{\n  \"id\": \"a\",\n  \"ts\": \"2026-10-01T00:00:00Z\"\n}\n", "spread over several lines"),
        ("[" + Self.line() + "," + Self.line(id: "b") + "]\n", "one JSON array"),
    ]

    @Test(arguments: wholeDocuments)
    func aWholeJSONDocumentGetsOneMessageNotOnePerLine(text: String, reason: String) throws {
        let fixture = Fixture()
        let path = fixture.file("log.json", text)
        #expect {
            _ = try LogReadingTests.replay(text, name: "log.json")
        } throws: { error in
            guard case let .invalidInput(_, line, _, message) = error as? RouteSimError else { return false }
            return line == 1 && message.contains(reason) && message.contains("jq -c")
        }
        _ = path
    }

    /// Every rejected record of a file replayed with `--skip-invalid`.
    static func replayFile(_ path: String) throws -> [RecordProblem] {
        let catalog = Fixture.catalog
        var replay = Replay(catalog: catalog, policies: [Policy(name: "p", kind: .single(model: 0))])
        replay.skipInvalid = true
        var problems: [RecordProblem] = []
        _ = try replay.run(files: [path]) { problems.append($0) }
        return problems
    }
}

@Suite("Configuration syntax errors name the key on their line")
struct YAMLSyntaxErrorTests {
    @Test func aTabInTheSecondDocumentStopsTheLoadNamingLineAndKey() {
        let fixture = Fixture()
        let path = fixture.file("p.yaml", "name: a\nkind: oracle\n---\nname: b\n\tkind: oracle\n")
        #expect {
            _ = try PolicyLoader.load(paths: [path], catalog: Fixture.catalog)
        } throws: { error in
            guard case let .invalidInput(file, line, field, reason) = error as? RouteSimError else { return false }
            return file == path && line == 5 && field == "kind" && reason.contains("tab")
        }
    }

    @Test func aTabInTheCatalogSaysSo() {
        #expect {
            _ = try ModelCatalog.parse("models:\n\tsmall: {tier: 1, per_call_usd: 1}\n", file: "m.yaml")
        } throws: { error in
            guard case let .invalidInput(_, line, field, reason) = error as? RouteSimError else { return false }
            return line == 2 && field == "small" && reason.contains("tab") && !reason.contains("found 0")
        }
    }
}

import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Numbers that used to crash the process (a trap, not exit 2) or run away with memory.
@Suite("Limits: huge numbers are refused, far-apart timestamps cost nothing")
struct LimitsTests {
    static let hugeRecords: [(String, String, String)] = [
        (LogReadingTests.line(outcomes: #""small":{"success":true,"cost_usd":1e16}"#), "outcomes.small.cost_usd", "at most $1,000,000"),
        (LogReadingTests.line(outcomes: #""small":{"success":true,"latency_ms":1e29}"#), "outcomes.small.latency_ms", "at most 1e10 ms"),
        (LogReadingTests.line(outcomes: #""small":{"success":true,"latency_ms":1e300}"#), "outcomes.small.latency_ms", "at most"),
        (LogReadingTests.line().replacingOccurrences(of: #""input_tokens":10"#, with: #""input_tokens":1e15"#), "input_tokens", "at most 1e12"),
        // Numbers the parser cannot read at all: named by their field all the same.
        (LogReadingTests.line(outcomes: #""small":{"success":true,"latency_ms":1e400}"#), "outcomes.small.latency_ms", "not a valid finite number"),
        (LogReadingTests.line().replacingOccurrences(of: #""input_tokens":10"#, with: #""input_tokens":123456789012345678901"#),
         "input_tokens", "beyond 64 bits"),
        (LogReadingTests.line(outcomes: #""small":{"success":true,"latency_ms":-99999999999999999999}"#), "outcomes.small.latency_ms", "beyond 64 bits"),
    ]

    @Test(arguments: hugeRecords)
    func hugeRecordValuesAreRefused(text: String, field: String, reason: String) throws {
        let problem = try RecordEdgeCaseTests.problem(text)
        #expect(problem.field == field)
        #expect(problem.reason.contains(reason), "\(problem.reason)")
    }

    @Test func aCallWhosePriceOverflowsIsRefused() throws {
        let fixture = Fixture()
        let catalog = try ModelCatalog.parse("models:\n  small: {tier: 1, input_per_mtok: 900000}\n", file: "m.yaml")
        var replay = Replay(catalog: catalog, policies: [Policy(name: "p", kind: .single(model: 0))])
        replay.skipInvalid = true
        var problems: [RecordProblem] = []
        let text = LogReadingTests.line().replacingOccurrences(of: #""input_tokens":10"#, with: #""input_tokens":900000000000"#)
        _ = try replay.run(files: [fixture.file("log.jsonl", text + "\n")]) { problems.append($0) }
        #expect(problems.first?.field == "outcomes.small")
        #expect(problems.first?.reason.contains("more than the $1,000,000 limit") == true, "\(problems)")
    }

    static let hugeConfig: [(String, String)] = [
        ("models:\n  small: {tier: 1, input_per_mtok: 1e300}\n", "models.small.input_per_mtok"),
        ("models:\n  small: {tier: 1, per_call_usd: 0x10}\n", "models.small.per_call_usd"),
        ("models:\n  small: {tier: 1, output_per_mtok: .nan}\n", "models.small.output_per_mtok"),
        ("models:\n  small: {tier: 99999999999999999999, per_call_usd: 1}\n", "models.small.tier"),
    ]

    @Test(arguments: hugeConfig)
    func hugeOrHexCatalogNumbersAreRefused(yaml: String, field: String) throws {
        #expect {
            _ = try ModelCatalog.parse(yaml, file: "m.yaml")
        } throws: { error in
            guard case let .invalidInput(file, line, name, _) = error as? RouteSimError else { return false }
            return file == "m.yaml" && line == 2 && name == field
        }
    }

    @Test func hugeOverheadsAreRefused() throws {
        #expect(throws: RouteSimError.self) {
            _ = try Fixture.policy("name: p\nkind: single\nmodel: small\noverhead: {cost_usd: 1e300}")
        }
        #expect(throws: RouteSimError.self) {
            _ = try Fixture.policy("name: p\nkind: single\nmodel: small\noverhead: {latency_ms: 1e29}")
        }
    }

    @Test func csvNumbersAreDecimalAndNULBytesAreRefused() throws {
        let csv = "id,ts,input_tokens,model,success,latency_ms\n"
            + "a,2026-10-01T00:00:00Z,0x10,small,true,1\n"
            + "b,2026-10-01T00:00:00Z,10,small,true,1\u{0}2\n"
            + "c,2026-10-01T00:00:00Z,10,small,true,inf\n"
            + "d,2026-10-01T00:00:00Z,10,small\n"
        let (result, problems) = try LogReadingTests.replay(csv, name: "log.csv")
        #expect(result.totals.accepted == 0 && result.rejected == 4)
        #expect(problems.map(\.field) == ["input_tokens", "latency_ms", "latency_ms", "success"])
        #expect(problems[1].reason.contains("NUL byte"))
    }

    @Test func decimalTextReadsDecimalsOnly() {
        #expect(DecimalText.double("12") == 12 && DecimalText.double("-0.5") == -0.5 && DecimalText.double(".25") == 0.25)
        #expect(DecimalText.double("1e-3") == 0.001 && DecimalText.double("+2") == 2)
        for bad in ["0x10", "inf", "nan", "", "-", "1e", "1.2.3", " 1", "1 ", "١٢"] { #expect(DecimalText.double(bad) == nil, "\(bad)") }
    }

    @Test func moneyOfAnySizeFormatsWithoutTrapping() {
        #expect(Format.usd(1e17) == "$100,000,000,000,000,000")
        #expect(Format.fixed(1e20, 6) == "100000000000000000000")
        #expect(Format.fixed(-123_456_789_012.5, 6) == "-123456789012.5000")
        #expect(Format.percent(1e300) == "1e+302%")
    }

    @Test func oneRecordInTheYear9999CostsOneWindow() throws {
        let fixture = Fixture()
        let early = LogReadingTests.line(id: "a")
        let late = LogReadingTests.line(id: "b").replacingOccurrences(of: "2026-10-01", with: "9999-12-31")
        var replay = Replay(catalog: Fixture.catalog, policies: [Policy(name: "p", kind: .single(model: 0))])
        replay.windowSeconds = 3600
        let result = try replay.run(files: [fixture.file("log.jsonl", early + "\n" + late + "\n" + early.replacingOccurrences(of: "\"a\"", with: "\"c\"") + "\n")])
        let windows = result.totals.policies[0].windows
        #expect(windows.windows.map(\.counts.requests) == [2, 1])
        #expect(windows.storedSlots <= 3)
    }

    @Test func windowsMergeAlikeWhateverTheirStorage() {
        var decision = Decision(costUSD: 1, latencyMs: 1, success: true, answerModel: 0, answerCostUSD: 1, escalated: false, review: false)
        decision.calls = 1
        var one = WindowSeries(modelCount: 1), other = WindowSeries(modelCount: 1), together = WindowSeries(modelCount: 1)
        let indices = [5, 7, 1_000_000, 6, 999_999, 4, 3, 2, 1, 0, -5]
        for (position, index) in indices.enumerated() {
            if position % 2 == 0 { one.record(decision, costUnits: 1, routedRight: true, budgetMs: nil, window: index) } else {
                other.record(decision, costUnits: 1, routedRight: true, budgetMs: nil, window: index)
            }
            together.record(decision, costUnits: 1, routedRight: true, budgetMs: nil, window: index)
        }
        one.merge(other)
        #expect(one.windows.map(\.index) == indices.sorted())
        #expect(together.windows.map(\.index) == indices.sorted())
    }
}

@Suite("Defects the fuzzer found")
struct FuzzFoundDefectTests {
    /// A header naming a column twice crashed the CSV reader (index out of range).
    @Test func aCSVHeaderNamingAColumnTwiceIsRefused() {
        let csv = "id,ts,input_tokens,model,success,model\na,2026-10-01T00:00:00Z,1,small,true,x\n"
        #expect(throws: RouteSimError.invalidInput(file: "f.csv", line: 1, field: "model",
                                                   reason: "the header names this column twice (columns 4 and 6); which one is meant is unclear")) {
            _ = try CSVLogReader.read(bytes: Array(csv.utf8), path: "f.csv", catalog: Fixture.catalog)
        }
    }
}

@Suite("Limits hold for every log format, not only the canonical one")
struct ForeignLimitsTests {
    static let cases: [(String, String)] = [
        (#"{"id":"x","call_type":"completion","model":"small","status":"success","prompt_tokens":1,"completion_tokens":1,"startTime":1,"endTime":2,"response_cost":1e30}"#, "outcomes.small.cost_usd"),
        (#"{"id":"x","call_type":"completion","model":"small","status":"success","prompt_tokens":1,"completion_tokens":1,"startTime":1,"endTime":1e28}"#, "outcomes.small.latency_ms"),
        (#"{"id":"x","call_type":"completion","model":"small","status":"success","prompt_tokens":1e15,"completion_tokens":1,"startTime":1,"endTime":2}"#, "input_tokens"),
        (#"{"id":"x","call_type":"completion","model":"small","status":"success","prompt_tokens":1,"completion_tokens":1,"startTime":1e28,"endTime":1e28}"#, "ts"),
        (#"{"id":"x","call_type":"completion","model":"small","status":"success","prompt_tokens":1e20,"completion_tokens":1,"startTime":1,"endTime":2}"#, "prompt_tokens"),
    ]

    @Test(arguments: cases)
    func hugeValuesInALiteLLMLogAreRefused(line: String, field: String) throws {
        let (result, problems) = try LogReadingTests.replay(line + "\n", name: "log.litellm.jsonl")
        #expect(result.totals.accepted == 0 && result.rejected == 1)
        #expect(problems.first?.field == field, "\(problems)")
    }

    @Test func hugeValuesInACSVLogAreRefusedToo() throws {
        let csv = "id,ts,input_tokens,output_tokens,model,success,reasoning_tokens\na,2026-10-01T00:00:00Z,10,5,small,true,6\n"
        let (result, problems) = try LogReadingTests.replay(csv, name: "log.csv")
        #expect(result.rejected == 1 && problems.first?.field == "reasoning_tokens")
    }
}

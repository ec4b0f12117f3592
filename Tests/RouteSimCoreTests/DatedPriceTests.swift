import Foundation
import Testing
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel

/// Prices that change (docs/catalog.md, "Prices that change"): each call at the prices in force at
/// its time, or every call at one date with `--reprice-at`. A call of 1,000 input and 500 output
/// tokens costs $0.002 at $1/$2 per million, $0.003 at $2/$2.
@Suite("Dated prices and repricing at one date")
struct DatedPriceTests {
    static let catalogText = """
        models:
          small:
            tier: 1
            input_per_mtok: 1
            output_per_mtok: 2
            dated_prices:
              - {from: 2026-10-02, input_per_mtok: 2}
              - {from: "2026-10-03T12:00:00Z", per_call_usd: 0.001}
        """

    static func line(_ id: String, day: Int, extra: String = "") -> String {
        #"{"id":"\#(id)","ts":"2026-10-0\#(day)T06:00:00Z","input_tokens":1000,"outcomes":{"small":{"success":true,"output_tokens":500\#(extra)}}}"#
    }

    static func cost(_ lines: [String], catalog: ModelCatalog) throws -> (cost: Double, problems: [RecordProblem]) {
        var replay = Replay(catalog: catalog, policies: [Policy(name: "p", kind: .single(model: 0))])
        replay.skipInvalid = true
        var problems: [RecordProblem] = []
        let result = try replay.run(files: [Fixture().file("log.jsonl", lines.joined(separator: "\n") + "\n")]) { problems.append($0) }
        return (result.totals.policies[0].cost.value, problems)
    }

    @Test func eachCallIsPricedAtThePricesInForceAtItsTime() throws {
        let catalog = try ModelCatalog.parse(Self.catalogText, file: "m.yaml")
        // Oct 1: $1/$2 → 0.002; Oct 2: input $2, output still $2 → 0.003; Oct 4: and $0.001 a call → 0.004.
        for (day, expected) in [(1, 0.002), (2, 0.003), (4, 0.004)] {
            #expect(abs(try Self.cost([Self.line("a", day: day)], catalog: catalog).cost - expected) < 1e-12, "day \(day)")
        }
        // A recorded cost is what was paid, whatever the catalog says.
        #expect(abs(try Self.cost([Self.line("a", day: 4, extra: #","cost_usd":0.5"#)], catalog: catalog).cost - 0.5) < 1e-12)
    }

    @Test func repricingAtOneDatePricesEveryCallThenAndSetsRecordedCostsAside() throws {
        let catalog = try ModelCatalog.parse(Self.catalogText, file: "m.yaml").repriced(at: parseRFC3339("2026-10-02T00:00:00Z")!)
        let lines = [Self.line("a", day: 1), Self.line("b", day: 4, extra: #","cost_usd":0.5"#)]
        #expect(abs(try Self.cost(lines, catalog: catalog).cost - 0.006) < 1e-12)
        // A failed call that billed nothing stays free at any date.
        let unbilled = Self.line("c", day: 4).replacingOccurrences(of: #""success":true,"output_tokens":500"#, with: #""success":false,"output_tokens":500,"cost_usd":0"#)
        #expect(try Self.cost([unbilled], catalog: catalog).cost == 0)
        #expect(catalog.repricedAt != nil && catalog.datedModels.isEmpty)
    }

    @Test func aCallBeforeTheFirstPriceOfAModelWithoutOneIsRefusedSayingSo() throws {
        let catalog = try ModelCatalog.parse("models:\n  small:\n    tier: 1\n    dated_prices:\n      - {from: 2026-10-02, input_per_mtok: 1, output_per_mtok: 2}\n", file: "m.yaml")
        let (cost, problems) = try Self.cost([Self.line("early", day: 1), Self.line("late", day: 2)], catalog: catalog)
        #expect(abs(cost - 0.002) < 1e-12 && problems.count == 1 && problems[0].line == 1)
        #expect(problems[0].reason.contains("has no price in m.yaml at 2026-10-01T06:00:00Z (its first dated price is from 2026-10-02T00:00:00Z)"), "\(problems)")
    }

    @Test(arguments: [
        ("      - {from: 2026-10-02, input_per_mtok: 2}\n      - {from: 2026-10-01, input_per_mtok: 3}\n", "must come after the period before it"),
        ("      - {from: yesterday, input_per_mtok: 2}\n", "must be a date (2024-08-06"),
        ("      - {input_per_mtok: 2}\n", "from"),
        ("      - {from: 2026-10-02, input_per_mtok: 2, colour: red}\n", "colour"),
    ])
    func malformedDatedPricesNameTheirLine(periods: String, message: String) throws {
        let text = "models:\n  small:\n    tier: 1\n    input_per_mtok: 1\n    dated_prices:\n" + periods
        #expect { try ModelCatalog.parse(text, file: "m.yaml") } throws: { error in
            "\(error)".contains("m.yaml:") && "\(error)".contains(message)
        }
    }

    @Test func aDatedPeriodMayTakeItsPricesFromTheLiteLLMTable() throws {
        let text = """
            prices: ../prices/litellm-model-prices-1.109.1.json
            models:
              small: {tier: 1, input_per_mtok: 1, output_per_mtok: 2, dated_prices: [{from: 2026-10-02, price_from: gpt-4o-mini}]}
            """
        let catalog = try ModelCatalog.parse(text, file: RouteSimBinary.datasets + "/formats/m.yaml")
        // gpt-4o-mini: $0.15/$0.60 per million → 1,000 × 0.15e-6 + 500 × 0.6e-6 = 0.00045.
        #expect(abs(try Self.cost([Self.line("a", day: 3)], catalog: catalog).cost - 0.00045) < 1e-12)
        #expect(catalog.priceTable?.hasSuffix("litellm-model-prices-1.109.1.json") == true)
    }
}

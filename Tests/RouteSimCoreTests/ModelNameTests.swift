import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Model names as logs write them find their catalog entry (docs/catalog.md, "Names in logs").
@Suite("Model names in logs: aliases, provider prefixes, version suffixes")
struct ModelNameTests {
    static let normalised: [(String, String)] = [
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("openai/gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-4-0613", "gpt-4"),
        ("gpt-3.5-turbo-1106", "gpt-3.5-turbo"),
        ("claude-3-5-sonnet@20240620", "claude-3-5-sonnet"),
        ("claude-3-5-sonnet-20240620", "claude-3-5-sonnet"),
        ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet"),
        ("bedrock/anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku"),
        ("mistral-large-latest", "mistral-large"),
        ("gpt-4", "gpt-4"),
        ("o1", "o1"),
        ("llama-3-70b", "llama-3-70b"),
        ("2024-08-06", "2024-08-06"),
    ]

    @Test(arguments: normalised)
    func providerPrefixesAndVersionSuffixesAreDropped(name: String, bare: String) {
        #expect(ModelNameMatch.normalised(name) == bare)
    }

    static let catalog = """
        models:
          gpt-4o: {tier: 2, input_per_mtok: 2.5, output_per_mtok: 10}
          gpt-4o-mini: {tier: 1, input_per_mtok: 0.15, output_per_mtok: 0.6, aliases: [mini, "azure-mini-*"]}
          sonnet: {tier: 3, input_per_mtok: 3, output_per_mtok: 15, aliases: [claude-3-5-sonnet]}
          sonnet-eu: {tier: 3, input_per_mtok: 3, output_per_mtok: 15, aliases: [eu-sonnet]}
        """

    @Test func theRulesInOrder() throws {
        let catalog = try ModelCatalog.parse(Self.catalog, file: "m.yaml")
        #expect(catalog.match("gpt-4o") == .exact(0))
        #expect(catalog.match("mini") == .matched(1, rule: "alias"))
        #expect(catalog.match("azure-mini-eastus") == .matched(1, rule: "alias pattern"))
        #expect(catalog.match("openai/gpt-4o-2024-08-06") == .matched(0, rule: "without provider prefix and version"))
        #expect(catalog.match("us.anthropic.claude-3-5-sonnet-20240620-v1:0") == .matched(2, rule: "without provider prefix and version"))
        #expect(catalog.match("gpt-5") == .none)
    }

    @Test func aNameThatCouldBeSeveralEntriesIsRefused() throws {
        let catalog = try ModelCatalog.parse("""
            models:
              gpt-4o-2024-05-13: {tier: 2, per_call_usd: 0.01}
              gpt-4o-2024-08-06: {tier: 2, per_call_usd: 0.008}
            """, file: "m.yaml")
        #expect(catalog.match("gpt-4o-2024-08-06") == .exact(1))
        #expect(catalog.match("openai/gpt-4o-2024-11-20") == .ambiguous([0, 1]))
        #expect(catalog.index(matching: "openai/gpt-4o-2024-11-20") == nil)
        #expect(catalog.noMatchReason("openai/gpt-4o-2024-11-20").contains("could be any of gpt-4o-2024-05-13, gpt-4o-2024-08-06"))
    }

    @Test func aNameMayStandForOneModelOnly() {
        for yaml in ["models:\n  a: {tier: 1, per_call_usd: 1, aliases: [x]}\n  b: {tier: 1, per_call_usd: 1, aliases: [x]}\n",
                     "models:\n  a: {tier: 1, per_call_usd: 1, aliases: [b]}\n  b: {tier: 1, per_call_usd: 1}\n",
                     "models:\n  a: {tier: 1, per_call_usd: 1, aliases: [a]}\n"] {
            #expect(throws: RouteSimError.self, "\(yaml)") { try ModelCatalog.parse(yaml, file: "m.yaml") }
        }
    }

    @Test func aCanonicalLogWithProviderNamesReplaysAndValidateShowsTheMapping() throws {
        let fixture = Fixture()
        let log = fixture.file("log.jsonl", [
            #"{"id":"a","ts":"2026-10-01T00:00:00Z","input_tokens":10,"output_tokens":5,"outcomes":{"openai/gpt-4o-2024-08-06":{"success":true}}}"#,
            #"{"id":"b","ts":"2026-10-01T00:00:00Z","input_tokens":10,"output_tokens":5,"outcomes":{"mini":{"success":true}}}"#,
            #"{"id":"c","ts":"2026-10-01T00:00:00Z","input_tokens":10,"output_tokens":5,"outcomes":{"gpt-5":{"success":true}}}"#,
        ].joined(separator: "\n") + "\n")
        let inputs = ReplayInputs(logs: [log], catalogPath: fixture.file("m.yaml", Self.catalog),
                                  policyPaths: [fixture.file("p.yaml", "name: p\nkind: oracle\n")])
        let (checked, problems) = try Validation(inputs: inputs).run()
        #expect(checked.contains("log model 'openai/gpt-4o-2024-08-06' → catalog entry gpt-4o (without provider prefix and version)"), "\(checked)")
        #expect(checked.contains("log model 'mini' → catalog entry gpt-4o-mini (alias)"), "\(checked)")
        #expect(problems.count == 1 && "\(problems[0])".contains("model 'gpt-5' is not in the catalog"), "\(problems)")
    }
}

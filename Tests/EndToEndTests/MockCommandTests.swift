import Foundation
import Testing

@Suite("routesim mock generates the same log for the same seed")
struct MockCommandTests {
    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let scratch = Scratch()
        for (name, seed) in [("a.jsonl", "5"), ("b.jsonl", "5"), ("c.jsonl", "6")] {
            let run = try RouteSimBinary.run(["mock", "--requests", "300", "--days", "2", "--seed", seed, "--out", ".", "--name", name], in: scratch.path)
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(scratch.read("a.jsonl") == scratch.read("b.jsonl"))
        #expect(scratch.read("a.jsonl") != scratch.read("c.jsonl"))
        #expect(scratch.read("a.jsonl").split(separator: "\n").count == 300)
    }

    /// The bundled scenario file describes exactly the built-in support service (and so the bundled log).
    /// The request times are drawn and sorted in memory, 8 bytes each: a count beyond memory is
    /// refused up front, not left to abort the process; so are days beyond a century.
    @Test func aRequestCountBeyondMemoryAndDaysBeyondACenturyAreRefused() throws {
        let scratch = Scratch()
        let run = try RouteSimBinary.run(["mock", "--requests", "1000000000000000", "--out", ".", "--name", "a.jsonl"], in: scratch.path)
        #expect(run.status == 2 && run.stderr.contains("--requests must be from 1 to 100,000,000"), "\(run.status) \(run.stderr)")
        // Days past year 9999 would write times no log reader takes.
        let days = try RouteSimBinary.run(["mock", "--requests", "10", "--days", "100000000000", "--out", ".", "--name", "b.jsonl"], in: scratch.path)
        #expect(days.status == 2 && days.stderr.contains("--days must be from 1 to 36,500"), "\(days.status) \(days.stderr)")
    }

    @Test func theBundledScenarioFileIsTheSupportService() throws {
        let scratch = Scratch()
        let scenario = RouteSimBinary.root + "/datasets/support-scenario.yaml"
        #expect(try RouteSimBinary.run(["mock", "--scenario", scenario, "--requests", "500", "--out", ".", "--name", "a.jsonl"], in: scratch.path).status == 0)
        #expect(try RouteSimBinary.run(["mock", "--requests", "500", "--out", ".", "--name", "b.jsonl"], in: scratch.path).status == 0)
        #expect(scratch.read("a.jsonl") == scratch.read("b.jsonl") && !scratch.read("a.jsonl").isEmpty)
        scratch.file("bad.yaml", "models:\n  small: {median_latency_ms: 300}\ncategories:\n  faq: {share: 1, input_tokens: 10, output_tokens: 5, capability: {large: 0.9}}\n")
        let bad = try RouteSimBinary.run(["mock", "--scenario", "bad.yaml", "--out", ".", "--name", "c.jsonl"], in: scratch.path)
        #expect(bad.status == 2 && bad.stderr.contains("bad.yaml:4: categories.faq.capability: needs a value for model 'small'"))
    }

    @Test func generatedLogIsValidAgainstTheBundledCatalogAndPolicies() throws {
        let scratch = Scratch()
        #expect(try RouteSimBinary.run(["mock", "--requests", "500", "--out", ".", "--name", "log.jsonl.gz"], in: scratch.path).status == 0)
        let datasets = RouteSimBinary.root + "/datasets"
        let run = try RouteSimBinary.run(["validate", "--log", "log.jsonl.gz", "--models", datasets + "/models.yaml",
                                          "--policy", datasets + "/policies.yaml"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("500 records, 500 valid"))
    }
}

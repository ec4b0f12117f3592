import Foundation
import Testing

@Suite("routesim mock generates the same log for the same seed")
struct MockCommandTests {
    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let scratch = Scratch()
        for (name, seed) in [("a.jsonl", "5"), ("b.jsonl", "5"), ("c.jsonl", "6")] {
            let run = try RouteSimBinary.run(["mock", "--requests", "300", "--days", "2", "--seed", seed, "--out", name], in: scratch.path)
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(scratch.read("a.jsonl") == scratch.read("b.jsonl"))
        #expect(scratch.read("a.jsonl") != scratch.read("c.jsonl"))
        #expect(scratch.read("a.jsonl").split(separator: "\n").count == 300)
    }

    @Test func generatedLogIsValidAgainstTheBundledCatalogAndPolicies() throws {
        let scratch = Scratch()
        #expect(try RouteSimBinary.run(["mock", "--requests", "500", "--out", "log.jsonl.gz"], in: scratch.path).status == 0)
        let datasets = RouteSimBinary.root + "/datasets"
        let run = try RouteSimBinary.run(["validate", "--log", "log.jsonl.gz", "--models", datasets + "/models.yaml",
                                          "--policy", datasets + "/policies.yaml"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("500 records, 500 valid"))
    }
}

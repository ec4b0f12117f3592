import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

@Suite("Off-policy estimates recover the truth")
struct OffPolicyTests {
    static let policies = """
        name: always-medium
        kind: single
        model: medium
        ---
        name: rules
        kind: router
        rules:
          - if: {category: [faq]}
            model: small
        default: large
        """

    /// 3,000 requests with all three outcomes; production then serves one model uniformly at
    /// random (propensity 1/3) and the log keeps only its outcome.
    static func logs(seed: UInt, in fixture: Fixture) throws -> (full: String, explore: String) {
        let full = fixture.directory + "/full-\(seed).jsonl"
        try SupportLogGenerator(requests: 3000, days: 2, seed: seed).write(to: full)
        let random = RandomSource(seed: seed + 1000)
        var lines: [String] = []
        for line in try String(contentsOfFile: full, encoding: .utf8).split(separator: "\n") {
            var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let served = ["small", "medium", "large"][random.index(below: 3)]
            let outcomes = object["outcomes"] as! [String: Any]
            object["outcomes"] = [served: outcomes[served]!]
            object["served_by"] = served
            object["propensity"] = 1.0 / 3
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        return (full, fixture.file("explore-\(seed).jsonl", lines.joined(separator: "\n") + "\n"))
    }

    @Test(.tags(.slow)) func snipsAndDRCoverTheTruthOverRepeatedSeeds() throws {
        let fixture = Fixture()
        let catalogPath = RouteSimBinary.datasets + "/models.yaml"
        let policyPath = fixture.file("p.yaml", Self.policies)
        let catalog = try ModelCatalog.load(path: catalogPath)
        let policies = try PolicyLoader.load(paths: [policyPath], catalog: catalog)
        let mockPath = RouteSimBinary.datasets + "/mock-medium.yaml"
        var covered = (snips: 0, dr: 0, cpi: 0), trials = 0
        for seed in 1...10 as ClosedRange<UInt> {
            let (full, explore) = try Self.logs(seed: seed, in: fixture)
            let truth = try Replay(catalog: catalog, policies: policies).run(files: [full]).totals.policies
            var estimate = OffPolicyEstimate(inputs: ReplayInputs(logs: [explore], catalogPath: catalogPath, policyPaths: [policyPath]))
            estimate.inputs.mockPath = mockPath
            let results = try estimate.run()
            for (result, totals) in zip(results, truth) {
                let success = Double(totals.successes) / Double(totals.requests), cpi = totals.cost.value / Double(totals.requests)
                trials += 1
                if result.snipsSuccessCI95!.contains(success) { covered.snips += 1 }
                if result.snipsCPICI95!.contains(cpi) { covered.cpi += 1 }
                // DR needs a reward model for every chosen model; the mock covers only medium.
                if result.policy == "rules" { #expect(result.drSuccess == nil) }
                if let interval = result.drSuccessCI95, interval.contains(success) { covered.dr += 1 }
                #expect(abs(result.snipsSuccess! - success) < 0.06, "seed \(seed) \(result.policy)")
            }
        }
        // 95% intervals over 20 (policy, seed) trials: expect at least 16 to cover the truth.
        #expect(covered.snips >= 16 && covered.cpi >= 16, "\(covered) of \(trials)")
        #expect(covered.dr >= 8, "\(covered.dr) of the 10 always-medium trials")
    }

    @Test func refusesWhatItCannotEstimate() throws {
        let fixture = Fixture()
        let catalogPath = RouteSimBinary.datasets + "/models.yaml"
        let (_, explore) = try Self.logs(seed: 3, in: fixture)
        let cascade = fixture.file("c.yaml", "name: c\nkind: cascade\nsteps:\n  - model: small\n    accept_if: {confidence: {gte: 0.8}}\n  - model: large\n")
        #expect(throws: RouteSimError.self) { try OffPolicyEstimate(inputs: ReplayInputs(logs: [explore], catalogPath: catalogPath, policyPaths: [cascade])).run() }
        let noPropensity = fixture.file("n.jsonl", #"{"id":"a","ts":"2026-10-01T00:00:00Z","input_tokens":1,"output_tokens":1,"served_by":"small","outcomes":{"small":{"success":true}}}"# + "\n")
        let single = fixture.file("s.yaml", "name: s\nkind: single\nmodel: small\n")
        #expect(throws: RouteSimError.invalidInput(file: noPropensity, line: 1, field: "propensity",
                                                   reason: "must be given and > 0 for off-policy estimates (the probability production chose served_by)")) {
            try OffPolicyEstimate(inputs: ReplayInputs(logs: [noPropensity], catalogPath: catalogPath, policyPaths: [single])).run()
        }
        // A policy choosing a model the log never served has no support.
        let onlySmall = fixture.file("o.jsonl", #"{"id":"a","ts":"2026-10-01T00:00:00Z","input_tokens":1,"output_tokens":1,"served_by":"small","propensity":0.5,"outcomes":{"small":{"success":true}}}"# + "\n")
        let large = fixture.file("l.yaml", "name: l\nkind: single\nmodel: large\n")
        #expect(throws: RouteSimError.self) { try OffPolicyEstimate(inputs: ReplayInputs(logs: [onlySmall], catalogPath: catalogPath, policyPaths: [large])).run() }
    }
}

import Foundation
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Small inline inputs for tests, written to a fresh temporary directory.
struct Fixture {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "routesim-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` in the directory and returns its path.
    @discardableResult
    func file(_ name: String, _ text: String) -> String {
        let path = "\(directory)/\(name)"
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Prices chosen so call costs are round: with 1,000 input and 500 output tokens,
    /// small = 1000·1/1e6 + 500·2/1e6 = $0.002, medium = $0.02, large = $0.2.
    static let catalogYAML = """
        models:
          small:  {tier: 1, input_per_mtok: 1.0, output_per_mtok: 2.0}
          medium: {tier: 2, input_per_mtok: 10.0, output_per_mtok: 20.0}
          large:  {tier: 3, input_per_mtok: 100.0, output_per_mtok: 200.0}
        """

    static var catalog: ModelCatalog { try! ModelCatalog.parse(catalogYAML, file: "models.yaml") }

    static func policy(_ yaml: String) throws -> Policy {
        try PolicyLoader.parse(YAMLNode.document(of: yaml, file: "policy.yaml"), catalog: catalog)
    }

    /// A record of 1,000 input and 500 output tokens with the given outcomes by model name.
    static func record(_ outcomes: [String: Outcome], category: String? = nil, features: [String: FeatureValue] = [:],
                       router: (String, Double?)? = nil, inputTokens: Int = 1000) -> Record {
        var slots = [Outcome?](repeating: nil, count: catalog.count)
        for (name, outcome) in outcomes { slots[catalog.index(of: name)!] = outcome }
        return Record(id: "r", inputTokens: inputTokens, outputTokens: 500, category: category, features: features,
                      routerModel: router.map { catalog.index(of: $0.0)! }, routerConfidence: router?.1, outcomes: slots)
    }

    /// Runs `simulation` and writes its report (without charts) into `directory`, as `simulate` does.
    @discardableResult
    static func simulate(_ simulation: Simulation, into directory: String) throws -> SimulationSummary {
        let summary = try simulation.run()
        try SimulationReport.write(summary, renderer: .off, into: directory)
        return summary
    }

    static func decide(_ policyYAML: String, _ record: Record) throws -> Decision {
        var prices = RecordPrices(modelCount: catalog.count)
        try prices.update(for: record, catalog: catalog)
        return try policy(policyYAML).decide(record, prices: prices, catalog: catalog)
    }
}

let ok = Outcome(success: true, latencyMs: 100)
let bad = Outcome(success: false, latencyMs: 100)

/// Paths of the repository's bundled files.
enum RouteSimBinary {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets").path
}

import RouteSimModel
import RouteSimStatistics
import CZlib
import Foundation

/// Generates a realistic customer-support request log in canonical JSONL: five categories of
/// different difficulty, small/medium/large models whose successes are correlated through each
/// request's difficulty, self-reported confidences, a recorded router prediction, a diurnal load.
/// The same seed and size always give the same bytes.
public struct SupportLogGenerator {
    public var requests: Int
    public var days: Int
    public var seed: UInt
    /// The first request's day, as seconds since the epoch (default 2026-10-01T00:00:00Z).
    public var start: Double = 1_790_812_800
    public var scenario = Scenario.support

    public init(requests: Int, days: Int = 14, seed: UInt = 42) {
        self.requests = requests
        self.days = days
        self.seed = seed
    }

    /// What the synthetic service looks like (`routesim mock --scenario`; see datasets/support-scenario.yaml).
    public struct Scenario: Sendable {
        package var categories: [Category]
        /// Model names, weakest first, and their median latency for a 200-token answer.
        package var models: [String]
        package var medianLatency: [Double]
        /// Capability lost on requests with code, per model.
        package var codePenalty: [Double]
        /// Relative load for each hour of the day (UTC).
        package var hourly: [Double]
        /// How often the recorded router predicts the cheapest sufficient model.
        package var routerAccuracy: Double
        /// When given, each request is a workflow of these steps.
        package var workflow: WorkflowScenario?

        package static let support = Scenario(categories: SupportLogGenerator.categories, models: ["small", "medium", "large"],
                                      medianLatency: [350.0, 900.0, 2600.0], codePenalty: [0.15, 0, 0],
                                      hourly: [2, 1.5, 1, 1, 1, 1.5, 3, 5, 8, 10, 11, 11, 10, 11, 11, 10, 9, 8, 6, 5, 4, 3.5, 3, 2.5],
                                      routerAccuracy: 0.8)
    }

    package struct Category: Sendable {
        package var name: String
        package var share: Double
        /// Median input and output tokens.
        package var input: Double
        package var output: Double
        /// Each model's capability: a request succeeds on a model when its difficulty is below it.
        package var capability: [Double]
        package var codeShare: Double
    }

    package static let categories = [
        Category(name: "greeting", share: 0.06, input: 120, output: 40, capability: [0.97, 0.99, 0.995], codeShare: 0),
        Category(name: "faq", share: 0.34, input: 450, output: 120, capability: [0.90, 0.96, 0.98], codeShare: 0.02),
        Category(name: "billing", share: 0.25, input: 800, output: 200, capability: [0.70, 0.90, 0.95], codeShare: 0.03),
        Category(name: "technical", share: 0.25, input: 1500, output: 380, capability: [0.45, 0.78, 0.92], codeShare: 0.45),
        Category(name: "legal", share: 0.10, input: 2400, output: 450, capability: [0.25, 0.60, 0.85], codeShare: 0),
    ]

    /// Writes the log to `path` (gzip-compressed when it ends in `.gz`).
    public func write(to path: String) throws {
        let compressed = path.hasSuffix(".gz")
        guard let file = gzopen(path, compressed ? "wb6" : "wbT") else {
            throw RouteSimError.unreadableFile(path: path, reason: "it cannot be created")
        }
        defer { gzclose(file) }
        let random = RandomSource(seed: seed)
        let times = timestamps(random)
        var buffer = ""
        buffer.reserveCapacity(1 << 20)
        for (index, ts) in times.enumerated() {
            line(index: index, ts: ts, random: random, into: &buffer)
            if buffer.utf8.count > 1 << 20 || index == times.count - 1 {
                var bytes = buffer
                let written = bytes.withUTF8 { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
                guard written > 0 else { throw RouteSimError.unreadableFile(path: path, reason: "writing failed") }
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Sorted request times over `days`, weighted by hour of day.
    private func timestamps(_ random: RandomSource) -> [Double] {
        (0..<requests).map { _ in
            let day = Double(Int(random.uniform() * Double(days)))
            let hour = Double(random.pick(scenario.hourly))
            return (start + day * 86_400 + hour * 3_600 + (random.uniform() * 3_600).rounded(.down))
        }.sorted()
    }

    private func line(index: Int, ts: Double, random: RandomSource, into out: inout String) {
        if let workflow = scenario.workflow { return workflowLine(workflow, index: index, ts: ts, random: random, into: &out) }
        let category = scenario.categories[random.pick(scenario.categories.map(\.share))]
        let input = max(5, Int(random.lognormal(median: category.input, sigma: 0.6)))
        let output = max(1, Int(random.lognormal(median: category.output, sigma: 0.5)))
        let hasCode = random.bernoulli(category.codeShare)
        let difficulty = random.uniform()
        var successes: [Bool] = []
        out += "{\"id\":\"req-\(String(repeating: "0", count: max(0, 7 - "\(index + 1)".count)))\(index + 1)\""
        out += ",\"ts\":\"\(ISOTime.format(ts))\",\"input_tokens\":\(input),\"output_tokens\":\(output)"
        out += ",\"category\":\"\(category.name)\",\"features\":{\"prompt_chars\":\(input * 4 + Int(random.uniform() * 4))"
        out += ",\"has_code\":\(hasCode)}"
        var outcomes = ""
        for (model, name) in scenario.models.enumerated() {
            let noise = random.gaussian(sigma: 0.04)
            let success = difficulty + noise + (hasCode ? scenario.codePenalty[model] : 0) < category.capability[model]
            successes.append(success)
            let quality = success ? random.beta(9, 2) : random.beta(2, 5)
            let confidence = success ? random.beta(8, 2) : random.beta(3, 4)
            let modelOutput = max(1, Int(Double(output) * (0.8 + 0.4 * random.uniform())))
            let latency = random.lognormal(median: scenario.medianLatency[model] * (0.5 + Double(modelOutput) / 400), sigma: 0.35)
            outcomes += model == 0 ? "" : ","
            outcomes += "\"\(name)\":{\"success\":\(success),\"quality\":\(Format.fixed(quality, 3))"
            outcomes += ",\"latency_ms\":\(Format.fixed(latency, 1)),\"output_tokens\":\(modelOutput)"
            outcomes += ",\"confidence\":\(Format.fixed(confidence, 3))}"
        }
        // The shadow router predicts the cheapest sufficient model, right about 80% of the time.
        let top = scenario.models.count - 1
        let needed = successes.firstIndex(of: true) ?? top
        let right = random.bernoulli(scenario.routerAccuracy)
        let predicted = right ? needed : min(top, max(0, needed + (random.bernoulli(0.5) ? 1 : -1)))
        let routerConfidence = predicted == needed ? random.beta(9, 1.5) : random.beta(4, 3)
        out += ",\"router\":{\"model\":\"\(scenario.models[predicted])\",\"confidence\":\(Format.fixed(routerConfidence, 3))}"
        out += ",\"served_by\":\"\(scenario.models[top])\",\"propensity\":1.0,\"outcomes\":{\(outcomes)}}\n"
    }
}

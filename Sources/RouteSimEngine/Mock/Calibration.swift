import RouteSimModel
import RouteSimStatistics
import CGSL
import Foundation

/// `routesim calibrate`: a mock file estimated from the outcomes a log did record, so mocks start
/// from one's own data. Success: Beta(1 + successes, 1 + failures) posterior (uniform prior), its mean
/// and 95% interval; latency: lognormal fitted to the log-latencies (GSL mean and sd); output
/// ratio: mean of outcome over record output tokens; confidence: Beta by the method of moments.
public struct Calibration {
    /// The records to learn from (logs or a store), and the catalog.
    public var inputs: ReplayInputs
    /// Categories with fewer outcomes than this get no rate of their own.
    public var minimumPerCategory = 30

    public init(inputs: ReplayInputs) {
        self.inputs = inputs
    }

    /// What one model's recorded outcomes show.
    package struct ModelData {
        package var outcomes = 0
        package var successes = 0
        package var byCategory: [String: (outcomes: Int, successes: Int)] = [:]
        package var logLatencies: [Double] = []
        package var outputRatios: [Double] = []
        package var confidenceOnSuccess: [Double] = []
        package var confidenceOnFailure: [Double] = []
    }

    /// Reads the logs and writes the mock file's YAML text.
    public func run() throws -> String {
        let catalog = try inputs.catalog()
        var data = [ModelData](repeating: ModelData(), count: catalog.count)
        var records = 0
        do {
            try LogScan.forEachRecord(inputs, catalog: catalog) { record, file in
                guard record.steps.isEmpty else {
                    throw RouteSimError.invalidInput(file: file, line: record.line, field: "steps",
                                                     reason: "calibrate learns from one-call records, and this one has steps; write a mock's steps: by hand for now (see docs/mocks.md, Steps)")
                }
                records += 1
                for (index, outcome) in record.outcomes.enumerated() {
                    guard let outcome else { continue }
                    data[index].outcomes += 1
                    if outcome.success { data[index].successes += 1 }
                    if let category = record.category {
                        var counts = data[index].byCategory[category] ?? (0, 0)
                        counts.outcomes += 1
                        if outcome.success { counts.successes += 1 }
                        data[index].byCategory[category] = counts
                    }
                    if let latency = outcome.latencyMs, latency > 0 { data[index].logLatencies.append(log(latency)) }
                    if let output = outcome.outputTokens, let base = record.outputTokens, base > 0 {
                        data[index].outputRatios.append(Double(output) / Double(base))
                    }
                    if let confidence = outcome.confidence {
                        if outcome.success { data[index].confidenceOnSuccess.append(confidence) } else { data[index].confidenceOnFailure.append(confidence) }
                    }
                }
            }
        }
        return yaml(data, catalog: catalog, records: records)
    }

    private func yaml(_ data: [ModelData], catalog: ModelCatalog, records: Int) -> String {
        var out = "# Mocked outcomes calibrated by `routesim calibrate` from \(records) records of \(inputs.store.map { "the store \($0.path)" } ?? inputs.logs.joined(separator: ", ")).\n"
        out += "# Success rates are Beta(1 + successes, 1 + failures) posterior means; comments give n and the 95% interval.\n"
        out += "models:\n"
        for (index, model) in data.enumerated() where model.outcomes > 0 {
            out += "  \(catalog.models[index].name):\n"
            let overall = Self.posterior(model.successes, model.outcomes)
            out += "    success:\n      default: \(Format.fixed(overall.mean, 4))   # \(Self.comment(model.outcomes, overall))\n"
            let categories = model.byCategory.filter { $0.value.outcomes >= minimumPerCategory }.sorted { $0.key < $1.key }
            if !categories.isEmpty {
                out += "      by_category:\n"
                for (category, counts) in categories {
                    let estimate = Self.posterior(counts.successes, counts.outcomes)
                    var key = ""
                    JSONValue.quote(category, into: &key)
                    out += "        \(key): \(Format.fixed(estimate.mean, 4))   # \(Self.comment(counts.outcomes, estimate))\n"
                }
            }
            if model.logLatencies.count >= 2 {
                let (median, sigma) = model.logLatencies.withUnsafeBufferPointer { values in
                    (exp(gsl_stats_mean(values.baseAddress, 1, values.count)), gsl_stats_sd(values.baseAddress, 1, values.count))
                }
                out += "    latency_ms: {median: \(Format.fixed(median, 1)), sigma: \(Format.fixed(sigma, 3))}   # lognormal fit to \(model.logLatencies.count) latencies\n"
            }
            if !model.outputRatios.isEmpty {
                let ratio = model.outputRatios.reduce(0, +) / Double(model.outputRatios.count)
                out += "    output_ratio: \(Format.fixed(ratio, 3))\n"
            }
            if let onSuccess = Self.betaFit(model.confidenceOnSuccess), let onFailure = Self.betaFit(model.confidenceOnFailure) {
                out += "    confidence: {if_success: [\(Format.fixed(onSuccess.0, 2)), \(Format.fixed(onSuccess.1, 2))], "
                out += "if_failure: [\(Format.fixed(onFailure.0, 2)), \(Format.fixed(onFailure.1, 2))]}   # Beta, method of moments\n"
            }
        }
        return out
    }

    /// The Beta(1 + s, 1 + n − s) posterior's mean and central 95% interval.
    package static func posterior(_ successes: Int, _ outcomes: Int) -> (mean: Double, interval: ClosedRange<Double>) {
        let a = 1 + Double(successes), b = 1 + Double(outcomes - successes)
        return (a / (a + b), gsl_cdf_beta_Pinv(0.025, a, b)...gsl_cdf_beta_Pinv(0.975, a, b))
    }

    private static func comment(_ n: Int, _ estimate: (mean: Double, interval: ClosedRange<Double>)) -> String {
        "n = \(n), 95% interval \(Format.fixed(estimate.interval.lowerBound, 4))–\(Format.fixed(estimate.interval.upperBound, 4))"
    }

    /// Beta(a, b) with the sample's mean and variance; nil when they do not determine one.
    package static func betaFit(_ values: [Double]) -> (Double, Double)? {
        guard values.count >= 2 else { return nil }
        let (mean, variance) = values.withUnsafeBufferPointer { buffer in
            (gsl_stats_mean(buffer.baseAddress, 1, buffer.count), gsl_stats_variance(buffer.baseAddress, 1, buffer.count))
        }
        let common = mean * (1 - mean) / variance - 1
        guard variance > 0, common > 0 else { return nil }
        return (mean * common, (1 - mean) * common)
    }
}

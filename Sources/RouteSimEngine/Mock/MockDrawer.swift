import RouteSimModel
import RouteSimStatistics
import CGSL
import Foundation

/// Fills the outcomes a record lacks from a `MockSpec`. Each (seed, request id, model) seeds its
/// own short GSL stream, so draws do not depend on record order, chunking, threads or sharding.
package final class MockDrawer {
    private let spec: MockSpec
    private let seed: UInt64
    private let rng: UnsafeMutablePointer<gsl_rng>

    package init(spec: MockSpec, seed: UInt64) {
        self.spec = spec
        self.seed = seed
        gsl_set_error_handler_off()
        rng = gsl_rng_alloc(routesim_rng_taus2())
    }

    deinit { gsl_rng_free(rng) }

    /// Draws every mocked model the record has no outcome for, marking them in `record.mocked`;
    /// for a record with steps, adds the mocked steps it lacks (and rounds, up to the mock's) and
    /// draws their missing outcomes too (docs/mocks.md, "Steps").
    package func fill(_ record: inout Record) {
        let idHash = RecordID.hash(record.id)
        for mock in spec.models where record.outcomes[mock.model] == nil {
            record.outcomes[mock.model] = draw(mock, category: record.category, outputTokens: record.outputTokens,
                                               stream: idHash &+ UInt64(mock.model) &* 0x9E37_79B9_7F4A_7C15)
            record.mocked[mock.model] = true
        }
        guard !spec.steps.isEmpty, !record.steps.isEmpty else { return }
        let models = record.outcomes.count
        for mock in spec.steps {
            let rounds = record.steps.filter { $0.name == mock.name }
            if rounds.isEmpty, let input = mock.inputTokens {
                let after = mock.after.map { names in names.compactMap { name in record.steps.lastIndex { $0.name == name } } }
                    ?? record.steps.lastIndex { $0.round == 1 }.map { [$0] } ?? []
                record.steps.append(Step(name: mock.name, after: after, inputTokens: input, outputTokens: mock.outputTokens,
                                         outcomes: Array(repeating: nil, count: models)))
            } else if let last = rounds.last, rounds.count < mock.rounds {
                for round in (rounds.count + 1)...mock.rounds {
                    record.steps.append(Step(name: mock.name, after: [], inputTokens: last.inputTokens, outputTokens: last.outputTokens,
                                             cachedInputTokens: last.cachedInputTokens, round: round,
                                             outcomes: Array(repeating: nil, count: models)))
                }
            }
        }
        for index in record.steps.indices {
            guard let mock = spec.steps.first(where: { $0.name == record.steps[index].name }) else { continue }
            for model in mock.models where record.steps[index].outcomes[model.model] == nil {
                let stream = idHash &+ UInt64(model.model) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index + 1) &* 0xD1B5_4A32_D192_ED03
                record.steps[index].outcomes[model.model] = draw(model, category: record.category,
                                                                 outputTokens: record.steps[index].outputTokens, stream: stream)
                record.steps[index].mocked[model.model] = true
            }
        }
    }

    /// One mocked outcome from its own stream (seeded by the run's seed and `stream`).
    private func draw(_ mock: MockSpec.ModelMock, category: String?, outputTokens: Int?, stream: UInt64) -> Outcome {
        gsl_rng_set(rng, UInt(truncatingIfNeeded: Self.mix(seed ^ Self.mix(stream))))
        let probability = category.flatMap { mock.successByCategory[$0] } ?? mock.success
        let success = gsl_rng_uniform(rng) < probability
        var outcome = Outcome(success: success)
        if let latency = mock.latency {
            outcome.latencyMs = gsl_ran_lognormal(rng, log(latency.median), latency.sigma)
        }
        outcome.outputTokens = outputTokens.map { Int((Double($0) * mock.outputRatio).rounded()) }
        if let confidence = mock.confidence {
            let (a, b) = success ? confidence.ifSuccess : confidence.ifFailure
            outcome.confidence = gsl_ran_beta(rng, a, b)
        }
        if let quality = mock.quality {
            let (a, b) = success ? quality.ifSuccess : quality.ifFailure
            outcome.quality = gsl_ran_beta(rng, a, b)
        }
        return outcome
    }

    /// SplitMix64's finaliser.
    /// The seed of a run's mock draws: the run's seed for the run itself, a seed derived from it for
    /// each further replica (`--replicas`). The one place a mock seed is made.
    package static func seed(run: Int, replica: Int = 0) -> UInt64 {
        let base = UInt64(bitPattern: Int64(run))
        return replica == 0 ? base : mix(base &+ UInt64(replica))
    }

    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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

    /// Draws every mocked model the record has no outcome for, marking them in `record.mocked`.
    package func fill(_ record: inout Record) {
        guard !spec.models.isEmpty else { return }
        let idHash = RecordID.hash(record.id)
        for mock in spec.models where record.outcomes[mock.model] == nil {
            gsl_rng_set(rng, UInt(truncatingIfNeeded: Self.mix(seed ^ Self.mix(idHash &+ UInt64(mock.model) &* 0x9E37_79B9_7F4A_7C15))))
            let probability = record.category.flatMap { mock.successByCategory[$0] } ?? mock.success
            let success = gsl_rng_uniform(rng) < probability
            var outcome = Outcome(success: success)
            if let latency = mock.latency {
                outcome.latencyMs = gsl_ran_lognormal(rng, log(latency.median), latency.sigma)
            }
            outcome.outputTokens = record.outputTokens.map { Int((Double($0) * mock.outputRatio).rounded()) }
            if let confidence = mock.confidence {
                let (a, b) = success ? confidence.ifSuccess : confidence.ifFailure
                outcome.confidence = gsl_ran_beta(rng, a, b)
            }
            if let quality = mock.quality {
                let (a, b) = success ? quality.ifSuccess : quality.ifFailure
                outcome.quality = gsl_ran_beta(rng, a, b)
            }
            record.outcomes[mock.model] = outcome
            record.mocked[mock.model] = true
        }
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

import CGSL
import Foundation

/// A seeded GSL Mersenne Twister with the distributions routesim draws from.
public final class RandomSource {
    private let rng: UnsafeMutablePointer<gsl_rng>

    public init(seed: UInt) {
        gsl_set_error_handler_off()
        rng = gsl_rng_alloc(routesim_rng_mt19937())
        gsl_rng_set(rng, seed)
    }

    deinit { gsl_rng_free(rng) }

    /// Uniform on [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    public func gaussian(sigma: Double) -> Double { gsl_ran_gaussian(rng, sigma) }

    /// Lognormal with the given median and log-scale sigma.
    public func lognormal(median: Double, sigma: Double) -> Double {
        gsl_ran_lognormal(rng, log(median), sigma)
    }

    public func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(rng, a, b) }

    /// Exponential with the given mean (times between Poisson arrivals, memoryless service).
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }

    public func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// Uniform on 0..<count.
    public func index(below count: Int) -> Int { Int(gsl_rng_uniform_int(rng, UInt(count))) }

    /// An index drawn with probability proportional to `weights`.
    public func pick(_ weights: [Double]) -> Int {
        var u = uniform() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            u -= weight
            if u < 0 { return index }
        }
        return weights.count - 1
    }
}

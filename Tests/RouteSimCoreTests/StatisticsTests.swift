import CGSL
import Testing
@testable import RouteSimCore

@Suite("Statistics against independent computations")
struct StatisticsTests {
    /// Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 → Wilson 0.2553–0.3662;
    /// to more places, scipy.stats.binomtest(81, 263).proportion_ci(method="wilson").
    @Test func wilsonMatchesPublishedValues() throws {
        let ci = try #require(WilsonInterval.interval(successes: 81, trials: 263))
        #expect(abs(ci.lowerBound - 0.2552885198782742) < 1e-9)
        #expect(abs(ci.upperBound - 0.36620957698280004) < 1e-9)
    }

    /// For 0 successes the upper bound is z²/(n + z²) = 3.8415/13.8415.
    @Test func wilsonAtZero() throws {
        let ci = try #require(WilsonInterval.interval(successes: 0, trials: 10))
        #expect(ci.lowerBound == 0 && abs(ci.upperBound - 0.27753279986288926) < 1e-9)
        #expect(WilsonInterval.interval(successes: 0, trials: 0) == nil)
    }

    /// numpy.quantile([...], q) with its default linear method gives the same values.
    @Test func quantilesInterpolateLinearly() {
        var q = Quantiles([3, 1, 4, 2])
        #expect(q.value(at: 0.5) == 2.5)
        #expect(abs(q.value(at: 0.95)! - 3.85) < 1e-12)
        #expect(q.value(at: 0) == 1 && q.value(at: 1) == 4)
        var empty = Quantiles([])
        #expect(empty.value(at: 0.5) == nil)
    }

    /// Selection agrees with sorting and GSL's own quantile of sorted data, on a random sample.
    @Test func selectionAgreesWithSortedQuantiles() {
        let random = RandomSource(seed: 7)
        let sample = (0..<10_001).map { _ in random.lognormal(median: 500, sigma: 1) }
        var sorted = sample.sorted()
        var q = Quantiles(sample)
        for fraction in [0.0, 0.01, 0.5, 0.95, 0.99, 0.999, 1.0] {
            let reference = sorted.withUnsafeMutableBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, fraction) }
            #expect(q.value(at: fraction) == reference)
        }
    }

    @Test func exactSumIsOrderIndependent() {
        let values = [0.1, 1e-9, 123.456, 0.2, 7e-12, 0.3]
        var forward = ExactSum.dollars(), backward = ExactSum.dollars()
        for value in values { forward.add(value) }
        for value in values.reversed() { backward.add(value) }
        #expect(forward == backward)
        #expect(abs(forward.value - 124.056000001007) < 1e-12)
    }
}

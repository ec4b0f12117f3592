import CGSL
import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

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

    /// The id hash is 64-bit FNV-1a over the id's UTF-8 bytes; the values are the published
    /// offset basis (the empty id) and those of a few lines of Python doing the same by hand.
    @Test func idHashIsFNV1aOfTheUTF8Bytes() {
        #expect(RecordID.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(RecordID.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(RecordID.hash("req-0000001") == 0x492c_a497_367b_6b41)
        #expect(RecordID.hash("é-ünïcode-id-longer-than-fifteen") == 0x1e13_f29b_97be_fc84)
        // A string bridged from other storage hashes alike.
        #expect(RecordID.hash(String(decoding: Array("req-0000001".utf8), as: UTF8.self)) == 0x492c_a497_367b_6b41)
    }

    /// numpy.quantile([...], q) with its default linear method gives the same values.
    @Test func quantilesInterpolateLinearly() {
        let q = Quantiles([3, 1, 4, 2])
        #expect(q.values(at: [0.5])?[0] == 2.5)
        #expect(abs(q.values(at: [0.95])![0] - 3.85) < 1e-12)
        #expect(q.values(at: [0])?[0] == 1 && q.values(at: [1])?[0] == 4)
        let empty = Quantiles([])
        #expect(empty.values(at: [0.5])?[0] == nil)
    }

    /// Selection agrees with sorting and GSL's own quantile of sorted data, on a random sample.
    @Test func selectionAgreesWithSortedQuantiles() {
        let random = RandomSource(seed: 7)
        let sample = (0..<10_001).map { _ in random.lognormal(median: 500, sigma: 1) }
        var sorted = sample.sorted()
        let q = Quantiles(sample)
        for fraction in [0.0, 0.01, 0.5, 0.95, 0.99, 0.999, 1.0] {
            let reference = sorted.withUnsafeMutableBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, fraction) }
            #expect(q.values(at: [fraction])?[0] == reference)
        }
    }

    /// Between two order statistics, with many ties and ranks that fall between values: the
    /// upper one is found without a second selection, and must be what sorting gives.
    @Test func quantilesBetweenTiedValuesAgreeWithSorting() {
        let random = RandomSource(seed: 3)
        for count in [2, 3, 10, 999, 1000, 4_001] {
            let sample = (0..<count).map { _ in (random.uniform() * 20).rounded(.down) * 50 }
            var sorted = sample.sorted()
            for fraction in [0.0, 0.01, 0.3333, 0.5, 0.95, 0.99, 0.999, 1.0] {
                let q = Quantiles(sample)
                let reference = sorted.withUnsafeMutableBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, fraction) }
                #expect(q.values(at: [fraction])?[0] == reference, "n \(count), q \(fraction)")
            }
        }
    }

    /// One sample asked for several quantiles in a row, rising, falling and mixed, with and
    /// without ties: each later selection may work within what the one before left ordered, and
    /// every answer must still be what sorting gives.
    @Test func quantilesAskedInTurnAgreeWithSorting() {
        let random = RandomSource(seed: 11)
        let orders: [[Double]] = [[0.5, 0.95, 0.99], [0.99, 0.95, 0.5], [0.5, 0.5, 0.2, 1.0, 0.0, 0.999], [0.95, 0.5, 0.99, 0.01]]
        for count in [1, 2, 3, 17, 1000, 20_001] {
            for tied in [false, true] {
                let sample = (0..<count).map { _ in tied ? (random.uniform() * 7).rounded(.down) : random.lognormal(median: 500, sigma: 1) }
                var sorted = sample.sorted()
                for order in orders {
                    let q = Quantiles(sample)
                    for fraction in order {
                        let reference = sorted.withUnsafeMutableBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, $0.count, fraction) }
                        #expect(q.values(at: [fraction])?[0] == reference, "n \(count), tied \(tied), q \(fraction) in \(order)")
                    }
                }
            }
        }
    }

    /// Large samples are narrowed by counting before the selection: every quantile must still be
    /// what sorting gives, for samples just below and above that size, heavy ties, negative
    /// values, zeros of both signs, infinities and values spread over many orders of magnitude,
    /// asked one at a time and several at once.
    @Test func narrowedQuantilesAgreeWithSorting() {
        let random = RandomSource(seed: 13)
        let fractions = [0.0, 0.001, 0.25, 0.5, 0.95, 0.99, 0.999, 1.0]
        let draws: [(String, () -> Double)] = [
            ("lognormal", { random.lognormal(median: 500, sigma: 1) }),
            ("ties", { (random.uniform() * 5).rounded(.down) * 100 }),
            ("signed", { (random.uniform() - 0.5) * 1e6 }),
            ("zeros", { random.uniform() < 0.6 ? (random.uniform() < 0.5 ? -0.0 : 0) : random.uniform() }),
            ("wide", { pow(10, random.uniform() * 40 - 20) * (random.uniform() < 0.1 ? -1 : 1) }),
            ("infinite", { random.uniform() < 0.02 ? (random.uniform() < 0.5 ? .infinity : -.infinity) : random.uniform() }),
        ]
        for count in [Quantiles.narrowedFrom, Quantiles.narrowedFrom + 1, 50_000] {
            for (name, draw) in draws {
                let sample = (0..<count).map { _ in draw() }
                // GSL's rule on the sorted sample, written out: its own function multiplies an
                // infinite neighbour by a zero weight and answers NaN where a rank is exact.
                let sorted = sample.sorted()
                let references = fractions.map { fraction -> Double in
                    let index = fraction * Double(count - 1), lower = Int(index.rounded(.down)), delta = index - Double(lower)
                    guard delta > 0 else { return sorted[lower] }
                    return (1 - delta) * sorted[lower] + delta * sorted[lower + 1]
                }
                let quantiles = Quantiles(sample)
                let together = quantiles.values(at: fractions)
                for (index, fraction) in fractions.enumerated() {
                    let reference = references[index]
                    #expect(quantiles.values(at: [fraction])?[0] == reference, "\(name), n \(count), q \(fraction)")
                    #expect(together?[index] == reference, "\(name), n \(count), q \(fraction), asked together")
                }
            }
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

    @Test func exactSumRoundsHalvesAwayFromZeroAsTheCLibraryDoes() {
        // Halves, their neighbours one unit in the last place away, negatives, and numbers too
        // large to have a fraction, against `rounded()` (the C library's `round`).
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                4503599627370495.5, -4503599627370495.5, 9007199254740993, 1e300, -1e300]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let x = Double.random(in: -1e7...1e7, using: &generator)
            values += [x, x.rounded(.down) + 0.5, (x.rounded(.down) + 0.5).nextUp, (x.rounded(.down) + 0.5).nextDown]
        }
        for value in values {
            #expect(ExactSum.roundedHalfAway(value) == value.rounded(), "\(value)")
        }
    }

    /// An addend's whole units, truncated by conversion below 9.2e18 units and rounded in
    /// floating point above, are the C library's `round` of it either way.
    @Test func exactSumUnitsAreTheRoundedScaledValue() {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                4503599627370495.5, -4503599627370495.5, 9007199254740993, 9.2e18, -9.2e18,
                                9.2e18.nextDown, (-9.2e18).nextUp, 9.2e18.nextUp, 1e30, -1e30]
        let random = RandomSource(seed: 5)
        for _ in 0..<100_000 {
            let x = (random.uniform() - 0.5) * 2e7
            values += [x, x.rounded(.down) + 0.5, (x.rounded(.down) + 0.5).nextUp, (x.rounded(.down) + 0.5).nextDown]
        }
        let unit = ExactSum(unitsPerOne: 1), dollars = ExactSum.dollars()
        for value in values {
            #expect(unit.units(of: value) == Int128(value.rounded()), "\(value)")
        }
        // Dollars scale by 1e15 first: a cent and a femto-dollar's halves.
        #expect(dollars.units(of: 0.01) == 10_000_000_000_000)
        #expect(dollars.units(of: 2.5e-15) == 3 && dollars.units(of: -2.5e-15) == -3)
    }
}

@Suite("Group bootstrap")
struct GroupBootstrapTests {
    /// Per-group sums of `costs`, with request i in the group of hash("r<i>").
    static func grouped(_ costs: [Double]) -> (sums: [Double], counts: [Double]) {
        var sums = [Double](repeating: 0, count: GroupBootstrap.groupCount)
        var counts = sums
        for (index, cost) in costs.enumerated() {
            let group = GroupBootstrap.group(ofHash: RecordID.hash("r\(index)"))
            sums[group] += cost
            counts[group] += 1
        }
        return (sums, counts)
    }

    /// For a mean of 40,000 i.i.d. lognormal costs, the bootstrap interval must agree with the
    /// textbook normal interval mean ± 1.96·s/√n, computed here independently of the bootstrap.
    @Test func agreesWithTheNormalIntervalForAMean() throws {
        let random = RandomSource(seed: 11)
        let costs = (0..<40_000).map { _ in random.lognormal(median: 0.01, sigma: 1) }
        let n = Double(costs.count)
        let mean = costs.reduce(0, +) / n
        let sd = (costs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let half = 1.959964 * sd / n.squareRoot()
        let (sums, counts) = Self.grouped(costs)
        let interval = try #require(GroupBootstrap.percentileInterval(GroupBootstrap(seed: 1).ratios(sums, counts)))
        #expect(abs(interval.lowerBound - (mean - half)) < 0.1 * half, "\(interval) vs \(mean) ± \(half)")
        #expect(abs(interval.upperBound - (mean + half)) < 0.1 * half, "\(interval) vs \(mean) ± \(half)")
    }

    /// 102,400 sequential ids over 1,024 groups: about 100 each. A chi-square statistic above
    /// 1,200 (p ≈ 1e-4 at 1,023 degrees of freedom) would mean the hash clumps them.
    /// Replicates summed four side by side (and the last few alone) give each replicate's total
    /// to the bit as summing it alone, in group order, from its weights.
    @Test(arguments: [7, 8, 2])
    func sumsAgreeToTheBitWithOneReplicateAtATime(replicates: Int) {
        let bootstrap = GroupBootstrap(replicates: replicates, seed: 11)
        let column: [Double] = (0..<GroupBootstrap.groupCount).map { group -> Double in
            let spread = Double(group % 37) * 1.37e-3
            return 0.1 + spread + Double(group) / 3
        }
        let expected = (0..<replicates).map { replicate -> Double in
            var total = 0.0
            for group in column.indices { total += Double(bootstrap.weights[replicate * GroupBootstrap.groupCount + group]) * column[group] }
            return total
        }
        #expect(bootstrap.sums(column).map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test func sequentialIdsSpreadEvenly() {
        var counts = [Int](repeating: 0, count: GroupBootstrap.groupCount)
        for index in 0..<102_400 {
            let id = "req-" + String(repeating: "0", count: 7 - "\(index)".count) + "\(index)"
            counts[GroupBootstrap.group(ofHash: RecordID.hash(id))] += 1
        }
        let chiSquare = counts.reduce(0.0) { $0 + pow(Double($1) - 100, 2) / 100 }
        #expect(chiSquare < 1200, "chi-square \(chiSquare)")
        #expect(counts.min()! > 50 && counts.max()! < 150)
    }

    @Test func aConstantHasAPointInterval() throws {
        let (sums, counts) = Self.grouped(Array(repeating: 0.2, count: 500))
        let interval = try #require(GroupBootstrap.percentileInterval(GroupBootstrap(seed: 3).ratios(sums, counts)))
        #expect(abs(interval.lowerBound - 0.2) < 1e-12 && abs(interval.upperBound - 0.2) < 1e-12)
    }

    @Test func sameSeedSameIntervalOtherSeedOther() {
        let (sums, counts) = Self.grouped((0..<300).map { Double($0 % 7) })
        let a = GroupBootstrap.percentileInterval(GroupBootstrap(seed: 5).ratios(sums, counts))
        let b = GroupBootstrap.percentileInterval(GroupBootstrap(seed: 5).ratios(sums, counts))
        let c = GroupBootstrap.percentileInterval(GroupBootstrap(seed: 6).ratios(sums, counts))
        #expect(a == b && a != c)
    }

    /// Infinite replicate values (a payback that never comes) sort last.
    @Test func infiniteValuesSortLast() throws {
        let values: [Double?] = (0..<100).map { $0 < 90 ? Double($0) : .infinity }
        let interval = try #require(GroupBootstrap.percentileInterval(values))
        #expect(abs(interval.lowerBound - 2.475) < 1e-12 && interval.upperBound == .infinity)
    }
}

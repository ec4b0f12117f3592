@testable import RouteSimAnalysis
@testable import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Testing

/// Up to `exactLatencies` latencies a policy are kept one by one (exact percentiles); past it,
/// every latency goes into the mergeable sketch (docs/statistics.md, "Latency sketches").
@Suite("Percentiles past the exact-latency limit")
struct ExactLatencyLimitTests {
    /// `count` records whose small-model latencies are lognormal around 800 ms (seeded).
    static func log(_ count: Int) -> (text: String, latencies: [Double]) {
        let random = RandomSource(seed: 5)
        let latencies = (0..<count).map { _ in (random.lognormal(median: 800, sigma: 1.1) * 1000).rounded() / 1000 }
        let text = latencies.enumerated().map { index, latency in
            LogReadingTests.line(id: "r\(index)", outcomes: #""small":{"success":true,"latency_ms":\#(latency)}"#)
        }.joined(separator: "\n") + "\n"
        return (text, latencies)
    }

    static func replay(_ text: String, limit: Int, threads: Int = 1, chunkSize: Int = 4096) throws -> PolicyAccumulator {
        let fixture = Fixture()
        let catalog = Fixture.catalog
        let policies = try PolicyLoader.load(paths: [fixture.file("p.yaml", LogReadingTests.single)], catalog: catalog)
        var replay = Replay(catalog: catalog, policies: policies)
        replay.exactLatencies = limit
        replay.threads = threads
        replay.chunkSize = chunkSize
        return try replay.run(files: [fixture.file("log.jsonl", text)]).totals.policies[0]
    }

    @Test func upToTheLimitEveryLatencyIsKeptAndPastItNoneIs() throws {
        let (text, latencies) = Self.log(300)
        let kept = try Self.replay(text, limit: 300)
        #expect(kept.latencySketch == nil && kept.latencies.sorted() == latencies.sorted() && kept.latencyCount == 300)
        #expect(LatencySummary(kept)?.exact == true)
        let sketched = try Self.replay(text, limit: 299)
        #expect(sketched.latencies.isEmpty && sketched.latencySketch?.count == 300 && sketched.latencyCount == 300)
        let summary = try #require(LatencySummary(sketched))
        #expect(!summary.exact && summary.requests == 300)
        // The mean is of the exact sum either way.
        #expect(summary.mean == LatencySummary(kept)!.mean)
    }

    @Test func sketchedPercentilesAreWithinHalfAPercentOfTheExactOnes() throws {
        let (text, latencies) = Self.log(5000)
        let summary = try #require(LatencySummary(try Self.replay(text, limit: 100)))
        let sorted = latencies.sorted()
        // The sketch approximates the order statistic of rank ⌊q·(n−1)⌋ (0-based).
        func exact(_ q: Double) -> Double { sorted[Int((q * Double(sorted.count - 1)).rounded(.down))] }
        for (q, value) in [(0.5, summary.p50), (0.95, summary.p95), (0.99, summary.p99)] {
            #expect(abs(value - exact(q)) / exact(q) <= 0.005 + 1e-12, "q = \(q): \(value) against \(exact(q))")
        }
        for (percent, value) in summary.cdf.enumerated() {
            let q = Double(percent) / 100
            #expect(abs(value - exact(q)) / exact(q) <= 0.005 + 1e-12, "chart at \(percent)%: \(value) against \(exact(q))")
        }
    }

    @Test func theSketchDependsOnTheLatenciesNotOnChunksOrThreads() throws {
        let (text, _) = Self.log(3000)
        let one = try Self.replay(text, limit: 1000, threads: 1, chunkSize: 1 << 20)
        for (threads, chunkSize) in [(2, 2048), (3, 700), (1, 5000)] {
            let other = try Self.replay(text, limit: 1000, threads: threads, chunkSize: chunkSize)
            #expect(other.latencySketch == one.latencySketch && LatencySummary(other) == LatencySummary(one))
        }
    }

    @Test func mergingSketchedAndKeptLatenciesGivesTheSketchOfAll() {
        func accumulator(_ latencies: [Double], limit: Int) -> PolicyAccumulator {
            var totals = PolicyAccumulator(modelCount: 1)
            totals.latencyLimit = limit
            var part = PolicyAccumulator(modelCount: 1)
            part.latencies = latencies
            totals.merge(part)
            return totals
        }
        let all: [Double] = [3, 50, 50.2, 1e6, 7, 0.004, 900]
        let whole = accumulator(all, limit: 2)
        for cut in 1..<all.count {
            // One side past the limit (sketched), the other within it (kept), merged either way round.
            var left = accumulator(Array(all[..<cut]), limit: 2), right = accumulator(Array(all[cut...]), limit: 2)
            let leftFirst = { var merged = left; merged.merge(right); return merged }()
            right.merge(left)
            left = leftFirst
            #expect(left.latencySketch == whole.latencySketch && right.latencySketch == whole.latencySketch && left.latencies.isEmpty)
        }
    }
}

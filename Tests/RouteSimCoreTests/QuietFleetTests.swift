import Testing
@testable import RouteSimAnalysis
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimStatistics

/// A fleet that kept its minimum replicas and served every call on arrival keeps doing so when
/// the calls come slower: the cost curve's slower points are then one pass over the calls, and
/// must equal the simulation to the bit (docs/capacity.md, "Quiet fleets").
@Suite("Self-hosted capacity: slower runs of a quiet fleet")
struct QuietFleetTests {
    /// Two replicas of four slots, aiming at 70% busy; up to six, after a 120 s cold start.
    static let hosting = SelfHosting(gpuUSDPerHour: 2, prefillTokensPerSecond: 1000, decodeTokensPerSecond: 10, batch: 4,
                                     minReplicas: 2, maxReplicas: 6, coldStartSeconds: 120,
                                     autoscale: .init(target: .utilisation(0.7), everySeconds: 30, scaleDownAfterSeconds: 300))

    @Test func theQuietCapacityIsWhatTheMinimumHoldsWithoutTheAutoscalerWantingMore() {
        // Utilisation 0.7 of 2 × 4 slots: ⌈n / 2.8⌉ ≤ 2 up to n = 5.
        #expect(DeploymentSimulation.quietCapacity(Self.hosting) == 5)
        // A queue-length rule wants nothing while no call waits: all 8 slots.
        var byQueue = Self.hosting
        byQueue.autoscale.target = .queueLength(2)
        #expect(DeploymentSimulation.quietCapacity(byQueue) == 8)
        // A fleet that scales to zero starts a replica for its first call: never quiet.
        var toZero = Self.hosting
        toZero.minReplicas = 0
        #expect(DeploymentSimulation.quietCapacity(toZero) == 0)
    }

    /// The largest count the autoscaler keeps at the minimum, by its own arithmetic: small fleets
    /// counted down one by one as the definition reads, and a fleet of 100,000 replicas of a
    /// million slots (10¹¹ of them) found as fast.
    @Test func theQuietCapacityIsTheLargestCountTheAutoscalerKeepsAtTheMinimum() {
        for minimum in 1...4 {
            for batch in [1, 2, 3, 7, 64] {
                for share in [0.1, 0.3, 0.6, 0.7, 0.95, 1] {
                    var hosting = Self.hosting
                    (hosting.minReplicas, hosting.maxReplicas, hosting.batch) = (minimum, minimum + 1, batch)
                    hosting.autoscale.target = .utilisation(share)
                    var counted = minimum * batch
                    while counted > 0, DeploymentSimulation.desiredReplicas(hosting, busySlots: counted, waiting: 0) > minimum { counted -= 1 }
                    #expect(DeploymentSimulation.quietCapacity(hosting) == counted, "\(minimum) × \(batch) at \(share)")
                }
            }
        }
        var large = Self.hosting
        (large.minReplicas, large.maxReplicas, large.batch) = (100_000, 100_000, 1_000_000)
        large.autoscale.target = .utilisation(0.5)
        // ⌈n / 500,000⌉ ≤ 100,000 up to n = 5·10¹⁰.
        #expect(DeploymentSimulation.quietCapacity(large) == 50_000_000_000)
    }

    @Test func aSlowerRunOfAQuietFleetIsOnePassAndEqualsTheSimulation() throws {
        // Poisson arrivals, one every 50 s on average, services of about 10 s: a few at once.
        let calls = DeploymentSimulationTests.poisson(rate: 0.02, count: 20_000, seed: 5) { 1 + $0.exponential(mean: 9) }
        let (start, end) = (0.0, calls.last!.arrival)
        let busier = DeploymentSimulation.run(calls, hosting: Self.hosting, start: start, end: end, factor: 1)
        try #require(busier.peakCallsInSystem <= 5 && busier.peakReplicas == 2)
        for factor in [0.25, 0.5, 0.9] {
            let horizon = start + (end - start) / factor
            var quiet = try #require(DeploymentSimulation.quietRun(calls, hosting: Self.hosting, start: start, end: horizon,
                                                                   factor: factor, busierFactor: 1))
            let simulated = DeploymentSimulation.run(calls, hosting: Self.hosting, start: start, end: horizon, factor: factor)
            // The one figure the pass cannot know: it reports the bound instead.
            #expect(quiet.peakCallsInSystem == 5)
            quiet.peakCallsInSystem = simulated.peakCallsInSystem
            #expect(quiet == simulated)
            #expect(quiet.replicaSeconds == 2 * (Swift.max(horizon, quiet.end) - start))
        }
    }

    /// The run at the arrival scale finds out in one pass whether the fleet is quiet, and is then
    /// equal to the simulation: every figure, and waits of zero.
    @Test func aQuietRunAtTheArrivalScaleIsOnePassAndEqualsTheSimulation() {
        let random = RandomSource(seed: 17)
        var (quietRuns, simulatedRuns) = (0, 0)
        for round in 0..<300 {
            var hosting = Self.hosting
            hosting.minReplicas = 1 + round % 3
            hosting.maxReplicas = hosting.minReplicas + 2
            hosting.batch = 1 + (round / 3) % 4
            if round % 5 == 0 { hosting.autoscale.target = .queueLength(2) }
            // Whole seconds, several calls to a second; services of 0 to 6 s, some exactly a gap long.
            var time = 1000.0
            let calls = (0..<200).map { _ -> DeploymentSimulation.Call in
                if random.uniform() < (round % 4 < 2 ? 0.4 : 0.9) { time += Double(Int(random.uniform() * (round % 4 < 2 ? 4 : 12))) }
                return DeploymentSimulation.Call(arrival: time, service: Double(Int(random.uniform() * 7)) * (round % 2 == 0 ? 1 : 0.5))
            }
            let factor = [1.0, 0.5, 3][round % 3]
            var (passed, simulated) = (calls, calls)
            let quick = DeploymentSimulation.run(&passed, hosting: hosting, start: 1000, end: 1000 + (time - 1000) / factor, factor: factor)
            let slow = DeploymentSimulation.run(&simulated, hosting: hosting, start: 1000, end: 1000 + (time - 1000) / factor, factor: factor,
                                                shortcut: false)
            #expect(quick == slow, "round \(round)")
            if passed == calls && calls.contains(where: { $0.service > 0 }) {
                // The pass left the calls as they were: every wait was zero.
                quietRuns += 1
                #expect(simulated.allSatisfy { $0.service == 0 } && quick.totalWaitSeconds == 0)
            } else {
                simulatedRuns += 1
                #expect(passed == simulated)
            }
        }
        #expect(quietRuns > 50 && simulatedRuns > 50, "\(quietRuns) quiet, \(simulatedRuns) simulated")
    }

    /// A call arriving at the very time another ends finds it still in service (the simulation
    /// takes the arrival first): with the quiet capacity of 5 full, it makes a sixth, and the fleet
    /// is simulated.
    @Test func aCallArrivingAsAnotherEndsCountsItStillInService() {
        var calls = (0..<5).map { _ in DeploymentSimulation.Call(arrival: 0, service: 10) } + [DeploymentSimulation.Call(arrival: 10, service: 1)]
        let result = DeploymentSimulation.run(&calls, hosting: Self.hosting, start: 0, end: 20)
        #expect(result.peakCallsInSystem == 6)
        #expect(calls.map(\.service) == [0, 0, 0, 0, 0, 0])
        // One call fewer at 0: five at most, quiet, the calls left as they were.
        var fewer = Array(calls.dropFirst()).map { DeploymentSimulation.Call(arrival: $0.arrival, service: $0.arrival == 0 ? 10 : 1) }
        let quiet = DeploymentSimulation.run(&fewer, hosting: Self.hosting, start: 0, end: 20)
        #expect(quiet.peakCallsInSystem == 5 && fewer.map(\.service) == [10, 10, 10, 10, 1])
        #expect(quiet.replicaSeconds == 2 * 20 && quiet.busySlotSeconds == 41)
    }

    @Test func aBusierRunThatScaledTellsNothingAboutASlowerOne() {
        // Bursts of ten calls of 100 s every 1,000 s: ten at once is over the quiet capacity.
        let calls = (0..<200).flatMap { burst in
            (0..<10).map { _ in DeploymentSimulation.Call(arrival: Double(burst) * 1000, service: 100) }
        }
        let (start, end) = (0.0, calls.last!.arrival)
        let busier = DeploymentSimulation.run(calls, hosting: Self.hosting, start: start, end: end, factor: 1)
        #expect(busier.peakCallsInSystem == 10 && busier.coldStarts > 0)
        let slower = DeploymentSimulation.run(calls, hosting: Self.hosting, start: start, end: start + (end - start) / 0.5, factor: 0.5,
                                              busier: (1, busier))
        let simulated = DeploymentSimulation.run(calls, hosting: Self.hosting, start: start, end: start + (end - start) / 0.5, factor: 0.5)
        // The bursts still come ten at once: the slower fleet scales too, as simulated.
        #expect(slower == simulated && slower.coldStarts > 0)
    }

    @Test func callsTooShortToOutlastRoundingAreSimulatedInstead() {
        // Services of a few nanoseconds at times near 1.7e9 s, where one unit in the last place
        // is 2.4e-7 s: whether two calls overlap is down to rounding, so the pass declines.
        let calls = (0..<100).map { DeploymentSimulation.Call(arrival: 1.7e9 + Double($0), service: 1e-9) }
        #expect(DeploymentSimulation.quietRun(calls, hosting: Self.hosting, start: 1.7e9, end: 1.7e9 + 400, factor: 0.5, busierFactor: 1) == nil)
        // Services of a second are far from it.
        let longer = calls.map { DeploymentSimulation.Call(arrival: $0.arrival, service: 1) }
        #expect(DeploymentSimulation.quietRun(longer, hosting: Self.hosting, start: 1.7e9, end: 1.7e9 + 400, factor: 0.5, busierFactor: 1) != nil)
    }
}

@Suite("Self-hosted capacity: the calls' order")
struct FleetCallOrderTests {
    /// Calls by arrival, then service, then the latency of the request they belong to (none last).
    static func sortedWhole(_ calls: [DeploymentSimulation.Call], _ latencies: [Double]) -> [DeploymentSimulation.Call] {
        let latency = { (call: DeploymentSimulation.Call) in call.latency == .max ? Double.infinity : latencies[Int(call.latency)] }
        return calls.sorted { ($0.arrival, $0.service, latency($0)) < ($1.arrival, $1.service, latency($1)) }
    }

    /// `Fleets.order` on a copy.
    static func ordered(_ calls: [DeploymentSimulation.Call], _ latencies: [Double]) -> [DeploymentSimulation.Call] {
        var calls = calls
        Fleets.order(&calls, latencies: latencies)
        return calls
    }

    /// Calls of whole-second times, many to a second and out of order within it (as a log in time
    /// order gives them), come out as a sort of the whole gives them; so do calls out of time order.
    @Test func runsOfOneArrivalAreSortedAsTheWholeWouldBe() {
        let random = RandomSource(seed: 11)
        var time = 0.0
        let latencies = (0..<5_000).map { _ in Double(Int(random.uniform() * 50)) }
        let inTimeOrder = (0..<5_000).map { index -> DeploymentSimulation.Call in
            if random.uniform() < 0.3 { time += 1 }
            return DeploymentSimulation.Call(arrival: time, service: Double(Int(random.uniform() * 4)), latency: index % 9 == 0 ? .max : UInt32(index))
        }
        #expect(inTimeOrder != Self.sortedWhole(inTimeOrder, latencies))
        #expect(Self.ordered(inTimeOrder, latencies) == Self.sortedWhole(inTimeOrder, latencies))
        let shuffled = inTimeOrder.reversed().map { $0 }
        #expect(Self.ordered(shuffled, latencies) == Self.sortedWhole(shuffled, latencies))
        let sorted = Self.sortedWhole(inTimeOrder, latencies)
        #expect(Self.ordered(sorted, latencies) == sorted && Self.ordered([], []) == [])
    }

    /// The same requests read in another order (their latencies at other places, their calls in
    /// another order) give the fleet the same calls in the same order: which of two calls at one
    /// time comes first follows from what they are, not from where the log put them.
    @Test func callsAtOneTimeAreOrderedByWhatTheyAreNotWhereTheyWere() {
        let random = RandomSource(seed: 5)
        let latencies = (0..<2_000).map { _ in Double(Int(random.uniform() * 300)) }
        let calls = latencies.indices.map { index in
            DeploymentSimulation.Call(arrival: Double(index / 50), service: Double(Int(random.uniform() * 3)), latency: UInt32(index))
        }
        // Another order of the same requests: request i is now at place moved[i].
        let moved = latencies.indices.map { ($0 * 769) % latencies.count }
        var otherLatencies = latencies
        for index in latencies.indices { otherLatencies[moved[index]] = latencies[index] }
        let otherCalls = calls.reversed().map { DeploymentSimulation.Call(arrival: $0.arrival, service: Double($0.service), latency: UInt32(moved[Int($0.latency)])) }
        let seen = { (calls: [DeploymentSimulation.Call], latencies: [Double]) in calls.map { [$0.arrival, Double($0.service), latencies[Int($0.latency)]] } }
        #expect(seen(Self.ordered(calls, latencies), latencies) == seen(Self.ordered(otherCalls, otherLatencies), otherLatencies))
    }
}

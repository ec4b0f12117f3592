import Foundation
import Testing
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimStatistics

/// The fleet of a self-hosted deployment (docs/capacity.md) checked against queueing theory on
/// long synthetic runs, and counted by hand on small ones.
@Suite("Self-hosted capacity: the queue against theory, cold starts by hand")
struct DeploymentSimulationTests {
    /// A fixed fleet of `replicas` replicas serving `batch` calls each (no scaling, no cold start).
    static func fixed(replicas: Int, batch: Int = 1) -> SelfHosting {
        SelfHosting(gpuUSDPerHour: 2, prefillTokensPerSecond: 1000, decodeTokensPerSecond: 10, batch: batch,
                    minReplicas: replicas, maxReplicas: replicas,
                    autoscale: .init(target: .utilisation(0.7), everySeconds: 60, scaleDownAfterSeconds: 300))
    }

    /// Poisson arrivals at `rate` a second for `count` calls, with services drawn by `service`.
    static func poisson(rate: Double, count: Int, seed: UInt, service: (RandomSource) -> Double) -> [DeploymentSimulation.Call] {
        let random = RandomSource(seed: seed)
        var time = 0.0
        return (0..<count).map { _ in
            time += random.exponential(mean: 1 / rate)
            return DeploymentSimulation.Call(arrival: time, service: service(random))
        }
    }

    /// Erlang C: the chance an arrival waits in an M/M/c queue with offered load `a` = λ/μ.
    static func erlangC(servers c: Int, load a: Double) -> Double {
        var term = 1.0, sum = 1.0
        for k in 1..<c {
            term *= a / Double(k)
            sum += term
        }
        let last = term * a / Double(c) * Double(c) / (Double(c) - a)
        return last / (sum + last)
    }

    @Test func mm1MeanWaitMatchesTheFormula() {
        // λ = 0.5, μ = 1: Wq = ρ / (μ − λ) = 1 s. 400,000 calls; within 5%.
        var calls = Self.poisson(rate: 0.5, count: 400_000, seed: 11) { $0.exponential(mean: 1) }
        let result = DeploymentSimulation.run(&calls, hosting: Self.fixed(replicas: 1), start: 0, end: 0)
        #expect(abs(result.meanWaitSeconds - 1.0) < 0.05, "\(result.meanWaitSeconds)")
        // Utilisation ρ = λ/μ: busy slot-seconds over warm replica-seconds.
        #expect(abs(result.busySlotSeconds / result.warmReplicaSeconds - 0.5) < 0.01)
    }

    @Test(arguments: [(4, 1), (1, 4), (2, 2)])
    func mmcMeanWaitMatchesErlangC(replicas: Int, batch: Int) {
        // c = 4 slots however they are spread over replicas, λ = 3, μ = 1: Wq = C(4, 3) / (cμ − λ).
        var calls = Self.poisson(rate: 3, count: 400_000, seed: 12) { $0.exponential(mean: 1) }
        let result = DeploymentSimulation.run(&calls, hosting: Self.fixed(replicas: replicas, batch: batch), start: 0, end: 0)
        let expected = Self.erlangC(servers: 4, load: 3) / (4 - 3)
        #expect(abs(result.meanWaitSeconds - expected) / expected < 0.05, "\(result.meanWaitSeconds) against \(expected)")
    }

    @Test func md1MeanWaitMatchesPollaczekKhinchine() {
        // Constant service 1 s, λ = 0.5: Wq = λ E[S²] / (2 (1 − ρ)) = 0.5 · 1 / (2 · 0.5) = 0.5 s.
        var calls = Self.poisson(rate: 0.5, count: 400_000, seed: 13) { _ in 1 }
        let result = DeploymentSimulation.run(&calls, hosting: Self.fixed(replicas: 1), start: 0, end: 0)
        #expect(abs(result.meanWaitSeconds - 0.5) < 0.025, "\(result.meanWaitSeconds)")
    }

    @Test func dd1WaitsByHand() {
        // Every 1 s a call needing 1.5 s: the n-th (from 0) waits 0.5·n s.
        var calls = (0..<5).map { DeploymentSimulation.Call(arrival: Double($0), service: 1.5) }
        let result = DeploymentSimulation.run(&calls, hosting: Self.fixed(replicas: 1), start: 0, end: 0)
        #expect(calls.map(\.service) == [0, 0.5, 1, 1.5, 2])
        #expect(result.totalWaitSeconds == 5 && result.end == 7.5)
        // One replica from 0 to the last completion, 7.5 s; busy 7.5 s: utilisation 1.
        #expect(result.replicaSeconds == 7.5 && result.busySlotSeconds == 7.5 && result.peakReplicas == 1 && result.coldStarts == 0)
        // p50 of (0, 0.5, 1, 1.5, 2) is 1; p95 interpolates 1.9; p99 1.98.
        #expect(result.waitP50 == 1 && abs(result.waitP95 - 1.9) < 1e-12 && abs(result.waitP99 - 1.98) < 1e-12)
    }

    @Test func coldStartsAndScaleDownCountedByHand() {
        // Scale to zero: a 10 s cold start; the autoscaler looks every 5 s and removes a replica
        // idle 20 s. Calls of 2 s at 0, 3 and 100.
        let hosting = SelfHosting(gpuUSDPerHour: 3, gpusPerReplica: 2, prefillTokensPerSecond: 1000, decodeTokensPerSecond: 10,
                                  minReplicas: 0, maxReplicas: 2, coldStartSeconds: 10,
                                  autoscale: .init(target: .utilisation(1), everySeconds: 5, scaleDownAfterSeconds: 20))
        var calls = [0.0, 3, 100].map { DeploymentSimulation.Call(arrival: $0, service: 2) }
        let result = DeploymentSimulation.run(&calls, hosting: hosting, start: 0, end: 0)
        // 0: no replica runs, so one starts at once (warm at 10). The tick at 5 sees 2 calls waiting
        // and no slot busy: it wants 2 replicas and starts a second (warm at 15). At 10 call 0
        // starts (waited 10); call 1 takes the slot when it frees at 12 (waited 9). At 100 no
        // replica runs: a third starts, warm at 110 (call 2 waited 10).
        #expect(calls.map(\.service) == [10, 9, 10])
        // Replica 1 is idle from 14, replica 2 (never used) from 15: the tick at 35 removes both
        // (idle 21 and 20 s ≥ 20). All three calls waited for a cold start.
        #expect(result.coldStarts == 3 && result.callsWaitingForColdStart == 3 && result.peakReplicas == 2 && result.end == 112)
        // Billed: replica 1 0–35, replica 2 5–35, replica 3 100–112: 35 + 30 + 12 = 77 replica-seconds.
        #expect(result.replicaSeconds == 77, "\(result)")
        // Cost: 77 s × 2 GPUs × $3 an hour.
        #expect(abs(result.replicaSeconds / 3600 * hosting.replicaUSDPerHour - 77.0 / 3600 * 6) < 1e-12)
    }

    @Test func aQueueLengthFleetShrinksOnceItsReplicasIdle() {
        // queue_length 1, every 10 s, remove after 30 s idle; 1…3 replicas, warm at once.
        // Six calls of 50 s at time 1: one replica takes one (batch 1), five wait.
        let hosting = SelfHosting(gpuUSDPerHour: 1, prefillTokensPerSecond: 1000, decodeTokensPerSecond: 10, batch: 1,
                                  minReplicas: 1, maxReplicas: 3, coldStartSeconds: 0,
                                  autoscale: .init(target: .queueLength(1), everySeconds: 10, scaleDownAfterSeconds: 30))
        var calls = (0..<6).map { _ in DeploymentSimulation.Call(arrival: 1, service: 50) }
        let result = DeploymentSimulation.run(&calls, hosting: hosting, start: 0, end: 400)
        // Tick 10: 5 wait > 1 per replica: wants 5, capped at 3; two start, warm at once and take
        // calls 1 and 2 (waited 9). At 51 replica 0 frees and takes call 3; at 60 replicas 1 and 2
        // take calls 4 and 5 (waited 50 and 59). Completions at 101 (replica 0) and 110 (1, 2).
        #expect(calls.map(\.service) == [0, 9, 9, 50, 59, 59])
        // Nothing waits from 60: the fleet wants ⌈0 / 1⌉ = 0, kept at the minimum of 1. Replica 0
        // is idle from 101, replicas 1 and 2 from 110: the tick at 140 removes replicas 0 and 1
        // (idle 39 and 30 s) and keeps replica 2, the minimum. Billed: 0–140, 10–140 and 10–400,
        // 140 + 130 + 390 = 660 s.
        #expect(result.peakReplicas == 3 && result.replicaSeconds == 660, "\(result)")
    }

    /// The autoscaler looks every second, and nothing it sees can change while one long call holds
    /// its replica: those looks are passed over at once (docs/capacity.md, "The fleet"), at the
    /// same times they would have had, not counted through one by one.
    @Test func looksThatCannotChangeAnythingArePassedOver() {
        var hosting = Self.fixed(replicas: 1)
        hosting.minReplicas = 0
        hosting.autoscale.everySeconds = 1
        var long = [DeploymentSimulation.Call(arrival: 0, service: 3e9)]
        let alone = DeploymentSimulation.run(&long, hosting: hosting, start: 0, end: 0)
        // Started by the call at 0, billed until it ends, 3·10⁹ s (95 years) later.
        #expect(alone.replicaSeconds == 3e9 && alone.end == 3e9 && alone.coldStarts == 1)
        // A queue-length rule of 0.5: at 0 the long call takes replica 0 and a short one waits;
        // the look at 1 wants ⌈1 / 0.5⌉ = 2 replicas and starts one (no cold start), which serves
        // the short call from 1 to 11. Idle from 11, it goes at the look at 311 (310 s billed);
        // the minimum of one replica then runs until the long call ends at 2·10⁹.
        hosting.minReplicas = 1
        hosting.maxReplicas = 2
        hosting.autoscale.target = .queueLength(0.5)
        var two = [DeploymentSimulation.Call(arrival: 0, service: 2e9), DeploymentSimulation.Call(arrival: 0, service: 10)]
        let result = DeploymentSimulation.run(&two, hosting: hosting, start: 0, end: 0)
        #expect(two.map(\.service) == [0, 1])
        #expect(result.replicaSeconds == 2e9 + 310 && result.peakReplicas == 2 && result.end == 2e9, "\(result)")
    }

    @Test func replicaSecondsAreSplitAcrossWindows() {
        var calls = [DeploymentSimulation.Call(arrival: 3500, service: 200)]
        let result = DeploymentSimulation.run(&calls, hosting: Self.fixed(replicas: 1), start: 3000, end: 3800, windowSeconds: 3600)
        // Warm from 3000 to 3800: 600 s in the first hour, 200 s in the second.
        #expect(result.replicaSecondsPerWindow == [600, 200] && result.replicaSeconds == 800)
    }
}

import Foundation
import RouteSimEngine
import RouteSimModel

/// What one policy's calls cost and did on one self-hosted deployment (docs/capacity.md): the
/// fleet simulated over the log's own arrival times.
public struct FleetMetrics: Sendable {
    public var model: String
    public var calls: Int
    /// GPU-hours billed (replica-hours × GPUs per replica), cold starts included, and their cost.
    public var gpuHours: Double
    public var costUSD: Double
    /// The cost spread over every request of the policy.
    public var costPerRequestUSD: Double
    public var meanReplicas: Double
    public var peakReplicas: Int
    /// Busy slot-seconds over the warm replicas' slot-seconds.
    public var utilisation: Double
    /// Waits in the queue, milliseconds.
    public var waitP50Ms: Double, waitP95Ms: Double, waitP99Ms: Double, waitMeanMs: Double
    public var coldStarts: Int
    public var callsWaitingForColdStart: Int
    /// Mean replicas in each hour of the day (UTC), over the log's days.
    public var replicasByHourOfDay: [Double]
    /// GPU cost per day (UTC), from the day of the log's first request.
    public var costByDay: [(day: Double, costUSD: Double)]
    /// What the same calls would cost on the model's API alternative, when the catalog gives one.
    public var apiAlternativeCostUSD: Double?
    /// The fleet's cost for the same calls arriving `scale` times as fast (`trafficScales`).
    public var costByTraffic: [(scale: Double, costUSD: Double)] = []
    /// The traffic, as a multiple of the log's, from which the fleet costs less than the API
    /// alternative for the same calls (interpolated between `trafficScales`); nil when it does not
    /// within them, or without an alternative.
    public var breakEvenScale: Double?
    /// The simulation's own figures, with the arrival scale they were run at.
    package var run: (factor: Double, result: DeploymentSimulation.Result)

    /// The traffic multiples the cost curve is drawn at.
    public static let trafficScales: [Double] = [0.25, 1, 4, 16, 64, 256]

    /// Runs `calls` (in arrival order; on return each holds its wait, its arrival unchanged,
    /// unless none waited: `DeploymentSimulation.run`)
    /// through `hosting`'s fleet from `start` to `end`, arriving `scale` times as fast as the
    /// log's (the gaps between arrivals divided by `scale`). The cost curve and the break-even
    /// are filled in afterwards.
    package init(model: String, hosting: SelfHosting, calls: inout [DeploymentSimulation.Call], start: Double, end: Double, requests: Int,
                 scale: Double = 1, apiCostUSD: Double? = nil) {
        // Windows of one hour of the log's time: 3,600 s / scale of the fleet's, from the log's first hour.
        let firstHour = (start / 3600).rounded(.down)
        let width = 3600 / scale
        let fleet = DeploymentSimulation.run(&calls, hosting: hosting, start: start, end: start + (end - start) / scale, factor: scale,
                                             windowSeconds: width, windowOrigin: start - (start - firstHour * 3600) / scale)
        run = (scale, fleet)
        self.model = model
        self.calls = calls.count
        gpuHours = fleet.replicaSeconds / 3600 * Double(hosting.gpusPerReplica)
        costUSD = fleet.replicaSeconds / 3600 * hosting.replicaUSDPerHour
        costPerRequestUSD = requests > 0 ? costUSD / Double(requests) : 0
        meanReplicas = fleet.meanReplicas
        peakReplicas = fleet.peakReplicas
        utilisation = fleet.warmReplicaSeconds > 0 ? fleet.busySlotSeconds / (fleet.warmReplicaSeconds * Double(hosting.batch)) : 0
        (waitP50Ms, waitP95Ms, waitP99Ms) = (fleet.waitP50 * 1000, fleet.waitP95 * 1000, fleet.waitP99 * 1000)
        waitMeanMs = fleet.meanWaitSeconds * 1000
        coldStarts = fleet.coldStarts
        callsWaitingForColdStart = fleet.callsWaitingForColdStart
        // Windows of the log's hours from the hour holding `start`: fold them onto the hours of the day and days.
        var byHour = [Double](repeating: 0, count: 24), hoursSeen = [Int](repeating: 0, count: 24)
        var byDay: [Double: Double] = [:]
        for (offset, seconds) in fleet.replicaSecondsPerWindow.enumerated() {
            let hour = Int(firstHour) + offset
            byHour[((hour % 24) + 24) % 24] += seconds / width
            hoursSeen[((hour % 24) + 24) % 24] += 1
            byDay[Double((hour / 24) * 86_400), default: 0] += seconds / 3600 * hosting.replicaUSDPerHour
        }
        replicasByHourOfDay = zip(byHour, hoursSeen).map { $1 > 0 ? $0 / Double($1) : 0 }
        costByDay = byDay.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        apiAlternativeCostUSD = apiCostUSD
    }

    /// The fleet's cost for `calls` (in arrival order) arriving `factor` times as fast; `busier`
    /// is this fleet's run at the arrival scale, when known (a quiet one makes slower runs cheap).
    package static func cost(_ calls: [DeploymentSimulation.Call], hosting: SelfHosting, start: Double, end: Double, factor: Double,
                             busier: (factor: Double, result: DeploymentSimulation.Result)? = nil) -> Double {
        let run = DeploymentSimulation.run(calls, hosting: hosting, start: start, end: start + (end - start) / factor, factor: factor,
                                           busier: busier)
        return run.replicaSeconds / 3600 * hosting.replicaUSDPerHour
    }

    /// The first traffic multiple at which the fleet costs no more than `api`: found between the
    /// two points of the curve around it by halving the gap (in the logarithm of traffic) eight
    /// times, each a run of the fleet, then interpolating linearly in the logarithms of traffic
    /// and cost. The fleet's cost need not fall evenly with traffic (the autoscaler adds
    /// replicas), so this is the first crossing the curve shows, not every one.
    static func breakEven(_ curve: [(scale: Double, costUSD: Double)], api: Double, cost: (Double) -> Double) -> Double? {
        guard api > 0, let index = curve.firstIndex(where: { $0.costUSD <= api }) else { return nil }
        guard index > 0 else { return curve[0].scale }
        var (a, b) = (curve[index - 1], curve[index])
        for _ in 0..<8 {
            let middle = (a.scale * b.scale).squareRoot()
            let point = (middle, cost(middle))
            if point.1 <= api { b = point } else { a = point }
        }
        let t = (log(a.costUSD) - log(api)) / (log(a.costUSD) - log(b.costUSD))
        return exp(log(a.scale) + t * (log(b.scale) - log(a.scale)))
    }
}

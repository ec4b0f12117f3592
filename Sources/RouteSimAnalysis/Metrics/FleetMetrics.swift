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

    /// Runs `calls` (in file order; on return, in arrival order, each holding its wait) through
    /// `hosting`'s fleet from `start` to `end`.
    package init(model: String, hosting: SelfHosting, calls: inout [DeploymentSimulation.Call], start: Double, end: Double, requests: Int) {
        calls.sort { ($0.arrival, $0.service, $0.latency) < ($1.arrival, $1.service, $1.latency) }
        let fleet = DeploymentSimulation.run(&calls, hosting: hosting, start: start, end: end, windowSeconds: 3600)
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
        // Hour windows from the hour holding `start`: fold them onto the hours of the day and days.
        let firstHour = Int((start / 3600).rounded(.down))
        var byHour = [Double](repeating: 0, count: 24), hoursSeen = [Int](repeating: 0, count: 24)
        var byDay: [Double: Double] = [:]
        for (offset, seconds) in fleet.replicaSecondsPerWindow.enumerated() {
            let hour = firstHour + offset
            byHour[((hour % 24) + 24) % 24] += seconds / 3600
            hoursSeen[((hour % 24) + 24) % 24] += 1
            byDay[Double((hour / 24) * 86_400), default: 0] += seconds / 3600 * hosting.replicaUSDPerHour
        }
        replicasByHourOfDay = zip(byHour, hoursSeen).map { $1 > 0 ? $0 / Double($1) : 0 }
        costByDay = byDay.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

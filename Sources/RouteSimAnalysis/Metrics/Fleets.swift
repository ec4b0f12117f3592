import RouteSimEngine
import RouteSimModel

/// The self-hosted fleets of a replay (docs/capacity.md), for every job that prices policies.
package enum Fleets {
    /// Each policy's calls to each self-hosted model run through its fleet (docs/capacity.md), and
    /// the fleets' cost added to the policy's, spread evenly over its requests. A policy pays for a
    /// fleet it called, or could call (its models name the model): minimum replicas run whatever
    /// the traffic; a policy that never goes near the model pays nothing for it.
    package static func apply(_ totals: inout ReplayTotals, policies: [Policy], catalog: ModelCatalog, windowSeconds: Double?,
                               budgetMs: Double?, scale: Double, curve: Bool = true) throws -> [[FleetMetrics]] {
        let hosted = catalog.models.indices.filter { catalog.models[$0].selfHosted != nil }
        guard !hosted.isEmpty, !totals.capacityCalls.isEmpty else { return policies.map { _ in [] } }
        // A fleet needs arrival times: a log that records none (RouterBench's tables, batch lines
        // without times) would send every request at one instant.
        if totals.logNotes.untimedCalls > 0 || (totals.accepted > 1 && totals.firstTimestamp == totals.lastTimestamp) {
            let why = totals.logNotes.untimedCalls > 0 ? "\(totals.logNotes.untimedCalls) calls of the log recorded no time" : "all \(totals.accepted) requests of the log have one time"
            throw RouteSimError.usage("\(why), and a self-hosted model's fleet ('\(catalog.models[hosted[0]].name)') is simulated on the log's arrival times (field ts): give a log with each request's time (docs/capacity.md)")
        }
        // Each slot's calls in arrival order, kept for the cost curve; the replay's copy goes.
        var sorted = totals.capacityCalls
        totals.capacityCalls = []
        let slots = Array(0..<(policies.count * hosted.count))
        let pays = slots.map { slot in !sorted[slot].isEmpty || policies[slot / hosted.count].models.contains(hosted[slot % hosted.count]) }
        // In place: each slot's calls are this list's alone now, and each task has its own slot;
        // the largest first, so the threads' shares come out even.
        let bySize = slots.sorted { (-sorted[$0].count, $0) < (-sorted[$1].count, $1) }
        sorted.withUnsafeMutableBufferPointer { sorted in
            _ = Parallel.run(bySize.count) { order(&sorted[bySize[$0]], latencies: totals.policies[bySize[$0] / hosted.count].latencies) }
        }
        let (start, end) = (totals.firstTimestamp, totals.lastTimestamp)
        let snapshot = totals
        // One task per fleet at the arrival scale (the figures, each call's wait) and one per
        // busier point of the cost curve, largest first so the threads finish together; then the
        // slower points, which a quiet fleet at the arrival scale makes one pass each.
        let busier = curve ? FleetMetrics.trafficScales.filter { $0 > scale } : []
        let slower = curve ? FleetMetrics.trafficScales.filter { $0 < scale } : []
        var tasks: [(slot: Int, factor: Double)] = slots.filter { pays[$0] }.flatMap { slot in ([scale] + busier).map { (slot, $0) } }
        tasks = tasks.indices.sorted { (-sorted[tasks[$0].slot].count, $0) < (-sorted[tasks[$1].slot].count, $1) }.map { tasks[$0] }
        let outcomes = Parallel.map(tasks) { slot, factor -> (fleet: FleetMetrics?, calls: [DeploymentSimulation.Call], costUSD: Double) in
            let (policy, model) = (slot / hosted.count, catalog.models[hosted[slot % hosted.count]])
            guard factor == scale else {
                return (nil, [], FleetMetrics.cost(sorted[slot], hosting: model.selfHosted!, start: start, end: end, factor: factor))
            }
            var calls = sorted[slot]
            let fleet = FleetMetrics(model: model.name, hosting: model.selfHosted!, calls: &calls, start: start, end: end,
                                     requests: snapshot.policies[policy].requests, scale: scale,
                                     apiCostUSD: model.selfHosted!.apiAlternative == nil ? nil : snapshot.capacityAPICost[slot].value)
            // The calls hold their waits only if one waited (a copy of the slot's calls, then).
            return (fleet, fleet.run.result.totalWaitSeconds > 0 ? calls : [], fleet.costUSD)
        }
        var runs = [FleetMetrics?](repeating: nil, count: slots.count)
        for ((slot, _), outcome) in zip(tasks, outcomes) {
            guard let fleet = outcome.fleet else { continue }
            runs[slot] = fleet
            let policy = slot / hosted.count
            totals.policies[policy].addFleetCost(fleet.costUSD, groupRequests: totals.groupRequests)
            // A request's latency includes its self-hosted calls' waits in the queue.
            for call in outcome.calls where call.latency != .max && call.service > 0 {
                totals.policies[policy].addQueueWait(Double(call.service) * 1000, latency: Int(call.latency),
                                                     window: windowSeconds.map { Int((call.arrival / $0).rounded(.down)) }, budgetMs: budgetMs)
            }
        }

        let ran = runs
        let slowerTasks = slots.filter { ran[$0] != nil }.flatMap { slot in slower.map { (slot: slot, factor: $0) } }
        let slowerCosts = Parallel.map(slowerTasks) { slot, factor in
            FleetMetrics.cost(sorted[slot], hosting: catalog.models[hosted[slot % hosted.count]].selfHosted!, start: start, end: end,
                              factor: factor, busier: ran[slot]!.run)
        }
        // The cost curve, in the order of the traffic multiples.
        for ((slot, factor), outcome) in zip(tasks, outcomes) where curve && FleetMetrics.trafficScales.contains(factor) {
            runs[slot]!.costByTraffic.append((factor, outcome.costUSD))
        }
        for ((slot, factor), cost) in zip(slowerTasks, slowerCosts) { runs[slot]!.costByTraffic.append((factor, cost)) }
        for slot in slots where runs[slot] != nil { runs[slot]!.costByTraffic.sort { $0.scale < $1.scale } }
        let breakEvens = Parallel.map(slots) { slot -> Double? in
            guard curve, let fleet = runs[slot], let api = fleet.apiAlternativeCostUSD else { return nil }
            let hosting = catalog.models[hosted[slot % hosted.count]].selfHosted!
            return FleetMetrics.breakEven(fleet.costByTraffic, api: api) {
                FleetMetrics.cost(sorted[slot], hosting: hosting, start: start, end: end, factor: $0, busier: fleet.run)
            }
        }
        for slot in slots where runs[slot] != nil { runs[slot]!.breakEvenScale = breakEvens[slot] }
        return policies.indices.map { runs[($0 * hosted.count)..<(($0 + 1) * hosted.count)].compactMap { $0 } }
    }

    /// Puts `calls` in the fleets' order: by arrival, then service, then the latency of the
    /// request each belongs to (`latencies`, by its place; none last), so that calls of one time
    /// are ordered by what they are, not by where the log put them (docs/capacity.md). A log in
    /// time order gives them in order of arrival already, and only calls of one arrival time (a
    /// second, in most logs) may be out of order: they are put in place by insertion, in the
    /// calls' own storage, each moving only past the few of its time before it; a log out of time
    /// order is sorted whole. Calls alike in all three keep their order.
    static func order(_ calls: inout [DeploymentSimulation.Call], latencies: [Double]) {
        latencies.withUnsafeBufferPointer { latencies in
            @inline(__always)
            func before(_ first: DeploymentSimulation.Call, _ second: DeploymentSimulation.Call) -> Bool {
                guard first.arrival == second.arrival else { return first.arrival < second.arrival }
                guard first.service == second.service else { return first.service < second.service }
                let (one, two) = (first.latency == .max ? .infinity : latencies[Int(first.latency)],
                                  second.latency == .max ? .infinity : latencies[Int(second.latency)])
                return one < two
            }
            calls.withUnsafeMutableBufferPointer { calls in
                for index in calls.indices.dropFirst() where calls[index].arrival < calls[index - 1].arrival {
                    calls.sort(by: before)
                    return
                }
                for index in calls.indices.dropFirst() where before(calls[index], calls[index - 1]) {
                    let call = calls[index]
                    var place = index
                    while place > 0, before(call, calls[place - 1]) {
                        calls[place] = calls[place - 1]
                        place -= 1
                    }
                    calls[place] = call
                }
            }
        }
    }
}

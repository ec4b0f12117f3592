import HeapModule
import RouteSimModel
import RouteSimStatistics

/// One self-hosted deployment's calls run, in arrival order, through its fleet of replicas
/// (docs/capacity.md): a call waits in one queue until a warm replica has a free slot, then holds
/// the slot for its service time; the autoscaler, every `everySeconds`, starts replicas (warm
/// after the cold start) and removes those idle long enough; a call arriving when no replica runs
/// or starts starts one at once. Deterministic: no draws, ties broken by arrival order.
package enum DeploymentSimulation {
    /// One call: when it arrived (seconds since the epoch), how long it holds a slot, and where
    /// its request's latency is among its policy's (`UInt32.max`: it has none). 16 bytes; after
    /// the run `service` holds the call's wait in the queue instead.
    package struct Call: Equatable {
        package var arrival: Double
        package var service: Float
        package var latency: UInt32

        package init(arrival: Double, service: Double, latency: UInt32 = .max) {
            self.arrival = arrival
            self.service = Float(service)
            self.latency = latency
        }
    }

    /// What the fleet did over the horizon.
    package struct Result: Equatable {
        package var calls = 0
        /// Seconds replicas ran, cold starts included (what is billed).
        package var replicaSeconds = 0.0
        /// Seconds replicas were warm, and seconds of slots held by calls.
        package var warmReplicaSeconds = 0.0
        package var busySlotSeconds = 0.0
        package var peakReplicas = 0
        package var coldStarts = 0
        /// Calls that arrived before the replica that served them was warm.
        package var callsWaitingForColdStart = 0
        package var totalWaitSeconds = 0.0
        /// Waits in the queue, seconds: the 50th, 95th and 99th percentiles.
        package var waitP50 = 0.0, waitP95 = 0.0, waitP99 = 0.0
        /// The horizon the fleet was paid for.
        package var start = 0.0, end = 0.0
        /// Replica-seconds per window of `windowSeconds`, from the window holding `start`.
        package var replicaSecondsPerWindow: [Double] = []

        package var meanWaitSeconds: Double { calls == 0 ? 0 : totalWaitSeconds / Double(calls) }
        package var meanReplicas: Double { end > start ? replicaSeconds / (end - start) : 0 }
    }

    private struct Replica {
        var started: Double
        var ready: Double
        var busy = 0
        var idleSince: Double
        var alive = true
    }

    /// The event queue: slot completions, replicas becoming warm and autoscaler ticks. 16 bytes:
    /// the time, then one key ordering events of one time — kind (completions first, then replicas
    /// becoming warm, then ticks), then the order they were made in — and naming the replica.
    private struct Event: Comparable {
        enum Kind: UInt64 { case completion = 0, ready = 1, tick = 2 }
        var time: Double
        private var key: UInt64

        init(time: Double, kind: Kind, replica: Int, order: Int) {
            self.time = time
            key = kind.rawValue << 62 | UInt64(order) << 20 | UInt64(replica & 0xFFFFF)
        }

        var kind: Kind { Kind(rawValue: key >> 62)! }
        var replica: Int { Int(key & 0xFFFFF) }

        static func < (a: Event, b: Event) -> Bool {
            a.time < b.time || (a.time == b.time && a.key < b.key)
        }
    }

    /// Runs `calls` (sorted by arrival) from `start` to at least `end`; `windowSeconds` sizes the
    /// per-window replica-seconds, counted from `windowOrigin` (default: the window holding
    /// `start`). On return each call's `service` holds its wait.
    package static func run(_ calls: inout [Call], hosting: SelfHosting, start: Double, end: Double,
                            windowSeconds: Double = 3600, windowOrigin: Double? = nil, quantiles: Bool = true) -> Result {
        var result = calls.withUnsafeMutableBufferPointer { buffer in
            var fleet = Fleet(calls: buffer, hosting: hosting, start: start, windowSeconds: windowSeconds,
                              windowOrigin: windowOrigin ?? (start / windowSeconds).rounded(.down) * windowSeconds)
            return fleet.run(until: end)
        }
        guard quantiles else { return result }
        // The quantiles select on a copy (8 bytes a call, for a moment), so each call keeps its wait.
        var waits = Quantiles(calls.map { Double($0.service) })
        result.waitP50 = waits.value(at: 0.50) ?? 0
        result.waitP95 = waits.value(at: 0.95) ?? 0
        result.waitP99 = waits.value(at: 0.99) ?? 0
        return result
    }

    /// The fleet's state while it runs: its replicas, the queue and the events to come.
    private struct Fleet {
        let calls: UnsafeMutableBufferPointer<Call>
        let hosting: SelfHosting
        let start: Double, windowSeconds: Double, windowOrigin: Double
        var result = Result()
        var replicas: [Replica] = []
        var events = Heap<Event>()
        var order = 0
        var alive = 0
        var queue: [Int] = [], head = 0
        var next = 0
        var lastCompletion: Double

        init(calls: UnsafeMutableBufferPointer<Call>, hosting: SelfHosting, start: Double, windowSeconds: Double, windowOrigin: Double) {
            self.calls = calls
            self.hosting = hosting
            self.start = start
            self.windowSeconds = windowSeconds
            self.windowOrigin = windowOrigin
            lastCompletion = start
            result.calls = calls.count
            result.start = start
        }

        mutating func push(_ time: Double, _ kind: Event.Kind, _ replica: Int = -1) {
            events.insert(Event(time: time, kind: kind, replica: replica, order: order))
            order += 1
        }

        mutating func startReplica(at now: Double, warm: Bool) {
            let ready = warm ? now : now + hosting.coldStartSeconds
            // A removed replica's place is reused: no event names it any more.
            let replica = Replica(started: now, ready: ready, idleSince: ready)
            let index = replicas.firstIndex { !$0.alive } ?? replicas.count
            if index == replicas.count { replicas.append(replica) } else { replicas[index] = replica }
            alive += 1
            result.peakReplicas = max(result.peakReplicas, alive)
            if !warm {
                result.coldStarts += 1
                push(ready, .ready, index)
            }
        }

        mutating func accrue(_ replica: Replica, until time: Double) {
            result.replicaSeconds += time - replica.started
            result.warmReplicaSeconds += max(0, time - replica.ready)
            addWindows(from: replica.started, to: time, origin: windowOrigin, width: windowSeconds, into: &result.replicaSecondsPerWindow)
        }

        /// The first warm replica with a free slot, if any.
        func freeReplica(_ now: Double) -> Int? {
            for index in replicas.indices where replicas[index].alive && replicas[index].ready <= now && replicas[index].busy < hosting.batch {
                return index
            }
            return nil
        }

        mutating func dispatch(_ now: Double) {
            while head < queue.count, let index = freeReplica(now) {
                let call = queue[head]
                head += 1
                let service = Double(calls[call].service)
                replicas[index].busy += 1
                if replicas[index].ready > calls[call].arrival { result.callsWaitingForColdStart += 1 }
                let wait = now - calls[call].arrival
                result.totalWaitSeconds += wait
                result.busySlotSeconds += service
                calls[call].service = Float(wait)
                push(now + service, .completion, index)
            }
            if head > 4096, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }

        mutating func autoscale(_ now: Double) {
            let waiting = queue.count - head
            let busySlots = replicas.reduce(0) { $0 + ($1.alive ? $1.busy : 0) }
            var desired: Int
            switch hosting.autoscale.target {
            case let .utilisation(share):
                desired = Int((Double(busySlots + waiting) / (Double(hosting.batch) * share)).rounded(.up))
            case let .queueLength(length):
                // More than `length` waiting per replica wants more; fewer lets idle ones go.
                desired = Int((Double(waiting) / length).rounded(.up))
            }
            desired = min(hosting.maxReplicas, max(hosting.minReplicas, desired))
            if desired > alive {
                for _ in alive..<desired { startReplica(at: now, warm: false) }
            } else {
                for index in replicas.indices where alive > desired {
                    let replica = replicas[index]
                    guard replica.alive, replica.busy == 0, replica.ready <= now,
                          now - replica.idleSince >= hosting.autoscale.scaleDownAfterSeconds else { continue }
                    replicas[index].alive = false
                    alive -= 1
                    accrue(replica, until: now)
                }
            }
        }

        mutating func run(until end: Double) -> Result {
            for _ in 0..<hosting.minReplicas { startReplica(at: start, warm: true) }
            push(start + hosting.autoscale.everySeconds, .tick)
            while let event = events.min {
                let arrival = next < calls.count ? calls[next].arrival : Double.infinity
                if arrival <= event.time {
                    // A call arriving to no replica at all starts one at once.
                    if alive == 0 { startReplica(at: arrival, warm: false) }
                    queue.append(next)
                    next += 1
                    dispatch(arrival)
                    continue
                }
                _ = events.popMin()
                switch event.kind {
                case .completion:
                    replicas[event.replica].busy -= 1
                    if replicas[event.replica].busy == 0 { replicas[event.replica].idleSince = event.time }
                    lastCompletion = max(lastCompletion, event.time)
                    dispatch(event.time)
                case .ready:
                    dispatch(event.time)
                case .tick:
                    autoscale(event.time)
                    dispatch(event.time)
                    let busy = replicas.contains { $0.alive && ($0.busy > 0 || $0.ready > event.time) }
                    if next < calls.count || head < queue.count || busy || event.time < end {
                        push(event.time + hosting.autoscale.everySeconds, .tick)
                    }
                }
            }
            result.end = max(end, lastCompletion)
            for replica in replicas where replica.alive { accrue(replica, until: result.end) }
            return result
        }
    }

    /// Adds the seconds of [from, to) to the windows of `width` seconds counted from `origin`.
    private static func addWindows(from: Double, to: Double, origin: Double, width: Double, into windows: inout [Double]) {
        var time = from
        while time < to {
            let index = Int(((time - origin) / width).rounded(.down))
            let boundary = origin + Double(index + 1) * width
            while windows.count <= index { windows.append(0) }
            windows[index] += min(to, boundary) - time
            time = boundary
        }
    }
}

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
    package struct Call: Equatable, Codable, BitwiseCopyable {
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
    package struct Result: Equatable, Sendable {
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
        /// The most calls in the fleet at once, in service or waiting, counted as each arrives
        /// (of a run worked out as quiet: the fleet's quiet capacity, a bound).
        package var peakCallsInSystem = 0
        /// The horizon the fleet was paid for.
        package var start = 0.0, end = 0.0
        /// Replica-seconds per window of `windowSeconds`, from the window holding `start`.
        package var replicaSecondsPerWindow: [Double] = []

        package var meanWaitSeconds: Double { calls == 0 ? 0 : totalWaitSeconds / Double(calls) }
        package var meanReplicas: Double { end > start ? replicaSeconds / (end - start) : 0 }
    }

    private struct Replica: BitwiseCopyable {
        var started: Double
        var ready: Double
        var busy = 0
        var idleSince: Double
        var alive = true
    }

    /// The event queue: slot completions and replicas becoming warm (the autoscaler's looks come
    /// after both at one time). 16 bytes, one 128-bit number whose order is the events' order:
    /// the time (its bits turned so that integers order as the times do), then kind (completions
    /// first), then the order they were made in; the lowest bits name the replica.
    private struct Event: Comparable {
        enum Kind: UInt64 { case completion = 0, ready = 1 }
        private var bits: UInt128

        init(time: Double, kind: Kind, replica: Int, order: Int) {
            let pattern = (time + 0).bitPattern  // + 0 turns −0 into 0
            let ordered = pattern >> 63 == 0 ? pattern | 1 << 63 : ~pattern
            bits = UInt128(ordered) << 64 | UInt128(kind.rawValue << 62 | UInt64(order) << 20 | UInt64(replica & 0xFFFFF))
        }

        var time: Double {
            let ordered = UInt64(truncatingIfNeeded: bits >> 64)
            return Double(bitPattern: ordered >> 63 == 1 ? ordered & ~(1 << 63) : ~ordered)
        }

        var kind: Kind { Kind(rawValue: UInt64(truncatingIfNeeded: bits) >> 62)! }
        var replica: Int { Int(UInt64(truncatingIfNeeded: bits) & 0xFFFFF) }

        static func < (a: Event, b: Event) -> Bool { a.bits < b.bits }
    }

    /// Runs `calls` (sorted by arrival) arriving `factor` times as fast as recorded — each call's
    /// time after `start` divided by `factor` — from `start` to at least `end`; `windowSeconds`
    /// sizes the per-window replica-seconds, counted from `windowOrigin` (default: the window
    /// holding `start`). On return each call's `service` holds its wait and its `arrival` is as
    /// it was — unless no call waited (`totalWaitSeconds` is 0), when the calls are left as they
    /// were. A quiet fleet (docs/capacity.md, "Quiet fleets") is worked out in one pass over the
    /// calls, unless `shortcut` is false.
    package static func run(_ calls: inout [Call], hosting: SelfHosting, start: Double, end: Double, factor: Double = 1,
                            windowSeconds: Double = 3600, windowOrigin: Double? = nil, quantiles: Bool = true,
                            shortcut: Bool = true) -> Result {
        let origin = windowOrigin ?? (start / windowSeconds).rounded(.down) * windowSeconds
        if shortcut, let quiet = calls.withUnsafeBufferPointer({ buffer in
            var fleet = Fleet(calls: UnsafeMutableBufferPointer(mutating: buffer), hosting: hosting, start: start, windowSeconds: windowSeconds,
                              windowOrigin: origin, factor: factor, recordsWaits: false)
            return fleet.runIfQuiet(until: end)
        }) {
            return quiet
        }
        var result = calls.withUnsafeMutableBufferPointer { buffer in
            var fleet = Fleet(calls: buffer, hosting: hosting, start: start, windowSeconds: windowSeconds,
                              windowOrigin: origin, factor: factor, recordsWaits: true)
            return fleet.run(until: end)
        }
        // No call waited: the quantiles are all zero, as they stand.
        guard quantiles, result.totalWaitSeconds > 0 else { return result }
        // The quantiles select on a copy (8 bytes a call, for a moment), so each call keeps its wait.
        let waits = Quantiles(calls.map { Double($0.service) }).values(at: [0.50, 0.95, 0.99]) ?? [0, 0, 0]
        (result.waitP50, result.waitP95, result.waitP99) = (waits[0], waits[1], waits[2])
        return result
    }

    /// Runs `calls` as `run(_:hosting:start:end:factor:)` does, leaving them as they are and
    /// without the waits' quantiles: what the fleet costs at another traffic (docs/capacity.md).
    /// `busier` is a run of the same calls at a higher factor, if one is known: when it stayed
    /// quiet, so does this one, and it is worked out in one pass (`quietRun`).
    package static func run(_ calls: [Call], hosting: SelfHosting, start: Double, end: Double, factor: Double,
                            busier: (factor: Double, result: Result)? = nil) -> Result {
        if let busier, busier.factor > factor, busier.result.peakCallsInSystem <= quietCapacity(hosting),
           let quiet = quietRun(calls, hosting: hosting, start: start, end: end, factor: factor, busierFactor: busier.factor) {
            return quiet
        }
        return calls.withUnsafeBufferPointer { buffer in
            var fleet = Fleet(reading: buffer, hosting: hosting, start: start, factor: factor)
            return fleet.run(until: end)
        }
    }

    /// The most calls a fleet can hold at once and stay as it starts — its minimum replicas, warm,
    /// each call served on arrival, the autoscaler wanting no more (docs/capacity.md, "Quiet
    /// fleets"). Zero for a fleet that scales to zero.
    package static func quietCapacity(_ hosting: SelfHosting) -> Int {
        guard hosting.minReplicas > 0 else { return 0 }
        // The autoscaler's wish grows with the calls, so the largest count it keeps at the minimum
        // is found by halving [0, minimum × batch] (up to 10¹¹ slots: a count down would not end).
        let keeps = { (calls: Int) in desiredReplicas(hosting, busySlots: calls, waiting: 0) <= hosting.minReplicas }
        var (low, high) = (0, hosting.minReplicas * hosting.batch)
        while low < high {
            let middle = low + (high - low + 1) / 2
            if keeps(middle) { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// What the autoscaler asks for with `busySlots` slots held and `waiting` calls queued, before
    /// the minimum and maximum are applied.
    static func desiredReplicas(_ hosting: SelfHosting, busySlots: Int, waiting: Int) -> Int {
        switch hosting.autoscale.target {
        case let .utilisation(share):
            Int((Double(busySlots + waiting) / (Double(hosting.batch) * share)).rounded(.up))
        case let .queueLength(length):
            // More than `length` waiting per replica wants more; fewer lets idle ones go.
            Int((Double(waiting) / length).rounded(.up))
        }
    }

    /// The run at `factor` of calls that, at `busierFactor`, never held more than the fleet's
    /// quiet capacity: slower arrivals only pull the calls apart, so none waits, the minimum
    /// replicas run from `start` to the last completion or `end`, and the figures follow in one
    /// pass, added in the order the simulation adds them (docs/capacity.md, "Quiet fleets").
    /// Nil when rounding could have brought two calls together that the busier run kept apart:
    /// a service within a few units in the last place of the times.
    package static func quietRun(_ calls: [Call], hosting: SelfHosting, start: Double, end: Double, factor: Double,
                                 busierFactor: Double) -> Result? {
        calls.withUnsafeBufferPointer { buffer in
            var fleet = Fleet(reading: buffer, hosting: hosting, start: start, factor: factor)
            return fleet.runQuiet(until: end, busierFactor: busierFactor)
        }
    }

    /// The fleet's state while it runs: its replicas, the queue and the events to come.
    private struct Fleet {
        let calls: UnsafeMutableBufferPointer<Call>
        let hosting: SelfHosting
        let start: Double, windowSeconds: Double, windowOrigin: Double
        var result = Result()
        /// The replica places so far (never more than the maximum replicas: a place is added only
        /// when every one holds a live replica), in storage of their own that nothing else sees,
        /// so no access checks for a shared copy.
        var replicas: UnsafeMutableBufferPointer<Replica>
        /// One bit per replica place: alive with a free slot (warm or not yet).
        let open: UnsafeMutableBufferPointer<UInt64>
        /// Owns `replicas`' and `open`'s storage.
        let places: Places
        let events = MinHeap<Event>()
        var order = 0
        var alive = 0
        /// Slots held by calls, over all replicas.
        var busySlots = 0
        /// The queue is first-come first-served over calls taken in arrival order, so it is always
        /// the calls `head..<next`: those arrived and not yet given a slot.
        var head = 0, next = 0
        var lastCompletion: Double
        /// Arrivals this many times as fast as recorded.
        let factor: Double
        /// `1 / factor` when that is exact (a power of two, as every point of the cost curve is):
        /// multiplying by it then gives the quotient to the bit, without a division's wait.
        let exactInverse: Double?
        /// The arrival time of the call last arrived (`next − 1`), as `arrival(_:)` gives it.
        var lastArrival = 0.0
        /// Whether each call's `service` is replaced by its wait.
        let recordsWaits: Bool

        init(calls: UnsafeMutableBufferPointer<Call>, hosting: SelfHosting, start: Double, windowSeconds: Double, windowOrigin: Double,
             factor: Double, recordsWaits: Bool) {
            self.calls = calls
            places = Places(hosting.maxReplicas)
            (replicas, open) = (places.replicas, places.open)
            self.factor = factor
            exactInverse = factor.isNormal && factor.significandBitPattern == 0 && (1 / factor).isNormal ? 1 / factor : nil
            self.recordsWaits = recordsWaits
            self.hosting = hosting
            self.start = start
            self.windowSeconds = windowSeconds
            self.windowOrigin = windowOrigin
            lastCompletion = start
            result.calls = calls.count
            result.start = start
        }

        /// A fleet that only reads `calls` (told not to record waits, it writes nothing to them),
        /// its replica-seconds in windows of the hours from the one holding `start`.
        init(reading calls: UnsafeBufferPointer<Call>, hosting: SelfHosting, start: Double, factor: Double) {
            self.init(calls: UnsafeMutableBufferPointer(mutating: calls), hosting: hosting, start: start, windowSeconds: 3600,
                      windowOrigin: (start / 3600).rounded(.down) * 3600, factor: factor, recordsWaits: false)
        }

        @inline(__always)
        func arrival(_ call: Int) -> Double {
            if factor == 1 { return calls[call].arrival }
            if let exactInverse { return start + (calls[call].arrival - start) * exactInverse }
            return start + (calls[call].arrival - start) / factor
        }

        @inline(__always)
        mutating func push(_ time: Double, _ kind: Event.Kind, _ replica: Int) {
            events.insert(Event(time: time, kind: kind, replica: replica, order: order))
            order += 1
        }

        mutating func startReplica(at now: Double, warm: Bool) {
            let ready = warm ? now : now + hosting.coldStartSeconds
            // A removed replica's place is reused: no event names it any more.
            let replica = Replica(started: now, ready: ready, idleSince: ready)
            let index = replicas.firstIndex { !$0.alive } ?? replicas.count
            if index == replicas.count { replicas = places.extend(replicas, with: replica) } else { replicas[index] = replica }
            setOpen(index, hosting.batch > 0)
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

        @inline(__always)
        mutating func setOpen(_ index: Int, _ isOpen: Bool) {
            let bit = UInt64(1) << UInt64(index % 64)
            if isOpen { open[index / 64] |= bit } else { open[index / 64] &= ~bit }
        }

        /// The first warm replica with a free slot, if any.
        @inline(__always)
        func freeReplica(_ now: Double) -> Int? {
            // The words of the places so far; those after them are all zero.
            for word in 0..<((replicas.count + 63) / 64) where open[word] != 0 {
                var rest = open[word]
                while rest != 0 {
                    let index = word * 64 + rest.trailingZeroBitCount
                    if replicas[index].ready <= now { return index }
                    rest &= rest - 1
                }
            }
            return nil
        }

        @inline(__always)
        mutating func dispatch(_ now: Double) {
            while head < next, let index = freeReplica(now) {
                let call = head
                head += 1
                let service = Double(calls[call].service)
                replicas[index].busy += 1
                busySlots += 1
                if replicas[index].busy == hosting.batch { setOpen(index, false) }
                let arrived = call == next - 1 ? lastArrival : arrival(call)
                if replicas[index].ready > arrived { result.callsWaitingForColdStart += 1 }
                let wait = now - arrived
                result.totalWaitSeconds += wait
                result.busySlotSeconds += service
                if recordsWaits { calls[call].service = Float(wait) }
                push(now + service, .completion, index)
            }
        }

        /// The replicas the autoscaler wants now, within the minimum and the maximum.
        func wantedReplicas() -> Int {
            let wanted = DeploymentSimulation.desiredReplicas(hosting, busySlots: busySlots, waiting: next - head)
            return min(hosting.maxReplicas, max(hosting.minReplicas, wanted))
        }

        mutating func autoscale(_ now: Double) {
            let desired = wantedReplicas()
            if desired > alive {
                for _ in alive..<desired { startReplica(at: now, warm: false) }
            } else {
                for index in replicas.indices where alive > desired {
                    let replica = replicas[index]
                    guard replica.alive, replica.busy == 0, replica.ready <= now,
                          now - replica.idleSince >= hosting.autoscale.scaleDownAfterSeconds else { continue }
                    replicas[index].alive = false
                    setOpen(index, false)
                    alive -= 1
                    accrue(replica, until: now)
                }
            }
        }

        mutating func run(until end: Double) -> Result {
            for _ in 0..<hosting.minReplicas { startReplica(at: start, warm: true) }
            // The autoscaler's next look, the `look`-th: start + look × every_s (docs/capacity.md);
            // kept beside the heap, after its events of the same time.
            var look = 1
            var tick = start + hosting.autoscale.everySeconds
            /// Moves to the first look at or after `time`, none skipped that could be before it.
            func firstLook(atOrAfter time: Double) {
                let every = hosting.autoscale.everySeconds
                var later = Swift.max(look, Int(((time - start) / every).rounded(.up)))
                while later > look, start + Double(later - 1) * every >= time { later -= 1 }
                while start + Double(later) * every < time { later += 1 }
                (look, tick) = (later, start + Double(later) * every)
            }
            // The next call's arrival, kept while events come first.
            var arrived = calls.isEmpty ? Double.infinity : arrival(0)
            while true {
                let event = events.min
                let time = Swift.min(event?.time ?? .infinity, tick)
                guard time < .infinity else { break }
                if arrived <= time {
                    // A call arriving to no replica at all starts one at once.
                    if alive == 0 { startReplica(at: arrived, warm: false) }
                    next += 1
                    let now = arrived
                    lastArrival = arrived
                    arrived = next < calls.count ? arrival(next) : .infinity
                    dispatch(now)
                    result.peakCallsInSystem = Swift.max(result.peakCallsInSystem, busySlots + next - head)
                    continue
                }
                if let event, event.time <= tick {
                    _ = events.popMin()
                    if event.kind == .completion {
                        replicas[event.replica].busy -= 1
                        busySlots -= 1
                        setOpen(event.replica, true)
                        if replicas[event.replica].busy == 0 { replicas[event.replica].idleSince = event.time }
                        lastCompletion = Swift.max(lastCompletion, event.time)
                    }
                    dispatch(event.time)
                    continue
                }
                autoscale(tick)
                dispatch(tick)
                let busy = replicas.contains { $0.alive && ($0.busy > 0 || $0.ready > tick) }
                guard next < calls.count || head < next || busy || tick < end else {
                    tick = .infinity
                    continue
                }
                look += 1
                tick = start + Double(look) * hosting.autoscale.everySeconds
                // An idle fleet at its minimum stays as it is until the next call: its looks till
                // then change nothing, so they are skipped (at the same times they would have had).
                if !busy, head == next, alive == hosting.minReplicas {
                    let until = next < calls.count ? arrived : end
                    if tick < until { firstLook(atOrAfter: until) }
                    if next == calls.count, tick >= end { tick = .infinity }
                    continue
                }
                // Nor do the looks change anything before the next event or call when the fleet
                // has as many replicas as it wants, or none it could let go (every one busy or
                // warming): what they see stays as it is until then.
                if alive <= wantedReplicas() || !replicas.contains(where: { $0.alive && $0.busy == 0 && $0.ready <= tick }) {
                    let until = Swift.min(events.min?.time ?? .infinity, arrived)
                    if until.isFinite, tick < until { firstLook(atOrAfter: until) }
                }
            }
            return finish(until: end)
        }

        /// `run(until:)` when the fleet is quiet, found in the same pass: each call served on
        /// arrival while the calls in service stay within the quiet capacity (those of the
        /// simulation, which takes an arrival before a completion of the same time). Nil as soon
        /// as they would not. Each call's wait is 0 and is not written.
        mutating func runIfQuiet(until end: Double) -> Result? {
            let capacity = DeploymentSimulation.quietCapacity(hosting)
            guard capacity > 0 else { return nil }
            // The completion times of the calls in service, in no order, and the earliest of them:
            // never more than the quiet capacity, nor than the calls.
            let ends = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, Swift.min(capacity, calls.count)))
            defer { ends.deallocate() }
            var (held, earliest) = (0, Double.infinity)
            for call in calls.indices {
                let arrived = arrival(call), service = Double(calls[call].service)
                if earliest < arrived {
                    var kept = 0
                    earliest = .infinity
                    for index in 0..<held where ends[index] >= arrived {
                        ends[kept] = ends[index]
                        earliest = Swift.min(earliest, ends[kept])
                        kept += 1
                    }
                    held = kept
                }
                guard held < capacity else { return nil }
                let completion = arrived + service
                ends[held] = completion
                held += 1
                earliest = Swift.min(earliest, completion)
                result.peakCallsInSystem = Swift.max(result.peakCallsInSystem, held)
                result.busySlotSeconds += service
                lastCompletion = Swift.max(lastCompletion, completion)
            }
            for _ in 0..<hosting.minReplicas { startReplica(at: start, warm: true) }
            return finish(until: end)
        }

        /// The run's end — the later of `end` and the last completion — with every live replica
        /// billed until then: how each of the runs below closes.
        mutating func finish(until end: Double) -> Result {
            result.end = Swift.max(end, lastCompletion)
            for replica in replicas where replica.alive { accrue(replica, until: result.end) }
            return result
        }

        /// `run(until:)` for calls whose run at `busierFactor` stayed quiet (`quietRun`).
        mutating func runQuiet(until end: Double, busierFactor: Double) -> Result? {
            for _ in 0..<hosting.minReplicas { startReplica(at: start, warm: true) }
            var shortest = Double.infinity
            for call in calls.indices {
                let service = Double(calls[call].service)
                result.busySlotSeconds += service
                lastCompletion = Swift.max(lastCompletion, arrival(call) + service)
                shortest = Swift.min(shortest, service)
            }
            // Two calls the busier run kept apart are apart here by their gap there plus the first
            // one's service × (ratio − 1); each time is off by at most (1/factor + 2) units in the
            // last place, so a service larger than four times that bound, scaled, keeps them apart.
            let ratio = busierFactor / factor
            let magnitude = [abs(start), abs(lastCompletion), abs(calls.last?.arrival ?? 0)].max()!
            let error = (1 / factor + 1 / busierFactor + 4) * magnitude.ulp
            guard calls.isEmpty || shortest * (ratio - 1) > 4 * error * (1 + ratio) else { return nil }
            result.peakCallsInSystem = DeploymentSimulation.quietCapacity(hosting)
            return finish(until: end)
        }
    }

    /// Storage for a fleet's replica places and their open bits, sized for the maximum replicas.
    private final class Places {
        let capacity: Int
        let replicas: UnsafeMutableBufferPointer<Replica>
        let open: UnsafeMutableBufferPointer<UInt64>

        init(_ maximum: Int) {
            capacity = Swift.max(1, maximum)
            replicas = UnsafeMutableBufferPointer(start: .allocate(capacity: capacity), count: 0)
            open = .allocate(capacity: (capacity + 63) / 64)
            open.initialize(repeating: 0)
        }

        deinit {
            // A replica is plain numbers: nothing to deinitialise.
            replicas.baseAddress!.deallocate()
            open.deallocate()
        }

        /// `places` with `replica` after them.
        func extend(_ places: UnsafeMutableBufferPointer<Replica>, with replica: Replica) -> UnsafeMutableBufferPointer<Replica> {
            precondition(places.count < capacity, "more replica places than the maximum replicas")
            (places.baseAddress! + places.count).initialize(to: replica)
            return UnsafeMutableBufferPointer(start: places.baseAddress, count: places.count + 1)
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

import Dispatch

/// Runs independent tasks on every core (or at most `threadLimit` threads) and returns their
/// results in task order.
package enum Parallel {
    /// At most this many threads run tasks at once: the command line's `--threads`, set once
    /// before any work starts (a process-wide setting, so the executable makes it); unset,
    /// Dispatch uses every core.
    nonisolated(unsafe) package static var threadLimit = Int.max

    /// `work(0)…work(count − 1)`, each index on exactly one thread, on at most `lanes` threads
    /// at once: lane l runs tasks l, l + lanes, … in turn.
    package static func run<T>(_ count: Int, lanes: Int = threadLimit, _ work: (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        // Each index is handed to exactly one thread; `work` only reads what is shared.
        nonisolated(unsafe) let work = work
        let lanes = max(1, min(count, lanes))
        DispatchQueue.concurrentPerform(iterations: count == 0 ? 0 : lanes) { lane in
            for index in stride(from: lane, to: count, by: lanes) { slots.store(work(index), at: index) }
        }
        return slots.results.map { $0! }
    }

    package static func map<S, T>(_ items: [S], _ transform: (S) -> T) -> [T] {
        run(items.count) { transform(items[$0]) }
    }

    /// One slot per task, written by exactly one thread each.
    private final class Slots<T>: @unchecked Sendable {
        package private(set) var results: [T?]

        package init(count: Int) { results = Array(repeating: nil, count: count) }

        package func store(_ result: T, at index: Int) {
            results.withUnsafeMutableBufferPointer { $0[index] = result }
        }
    }
}

/// A value handed from a task to the thread that waits for the tasks to end.
package final class Slot<T>: @unchecked Sendable {
    package var value: T

    package init(_ value: T) { self.value = value }
}

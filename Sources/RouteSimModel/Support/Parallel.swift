import Dispatch

/// Runs independent tasks on every core and returns their results in task order.
package enum Parallel {
    /// `work(0)…work(count − 1)`, each index on exactly one thread.
    package static func run<T>(_ count: Int, _ work: (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        // Each index is handed to exactly one thread; `work` only reads what is shared.
        nonisolated(unsafe) let work = work
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.store(work(index), at: index)
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

import Foundation
import Testing
@testable import RouteSimModel

/// `--threads N` holds the whole process to N threads at once, and every task still runs once.
@Suite("Parallel tasks: every one run once, on at most the threads allowed")
struct ParallelTests {
    /// The most tasks that ran at the same time.
    final class Overlap: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var most = 0

        func enter() { lock.withLock { running += 1; most = max(most, running) } }
        func leave() { lock.withLock { running -= 1 } }
    }

    @Test(arguments: [1, 2, 3])
    func tasksRunOnAtMostTheLanesAllowed(lanes: Int) {
        let overlap = Overlap()
        let results = Parallel.run(12, lanes: lanes) { index -> Int in
            overlap.enter()
            Thread.sleep(forTimeInterval: 0.01)  // long enough for any second thread to start
            overlap.leave()
            return index * index
        }
        #expect(results == (0..<12).map { $0 * $0 })
        #expect(overlap.most <= lanes)
        if lanes == 1 { #expect(overlap.most == 1) }
    }

    @Test func noTasksAreNoResults() {
        #expect(Parallel.run(0, lanes: 2) { $0 }.isEmpty)
    }

    /// Counts the runs of a piece of work and says on which thread it last ran.
    final class Runs: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var count = 0
        private(set) var thread: pthread_t?

        func ran() { lock.withLock { count += 1; thread = pthread_self() } }
    }

    /// With one thread allowed, background work waits to be asked for and runs on the caller's
    /// thread; with more, it runs once on a thread of its own; either way asking again gives the
    /// same value without running it again.
    @Test func backgroundWorkRunsOnceWithinTheThreadsAllowed() {
        let caller = pthread_self()
        let alone = Runs()
        let inline = Background(threads: 1) { alone.ran(); return 7 }
        #expect(alone.count == 0)
        #expect(inline.value == 7 && inline.value == 7)
        #expect(alone.count == 1 && alone.thread.map { pthread_equal($0, caller) != 0 } == true)

        let beside = Runs()
        let threaded = Background(threads: 2) { beside.ran(); return 11 }
        #expect(threaded.value == 11 && threaded.value == 11)
        #expect(beside.count == 1 && beside.thread.map { pthread_equal($0, caller) != 0 } == false)
    }
}

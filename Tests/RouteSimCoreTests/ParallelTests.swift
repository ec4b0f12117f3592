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
}

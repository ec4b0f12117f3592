import Foundation

/// A value worked out on a thread of its own while the caller goes on, for work that depends on
/// nothing the caller is about to do (docs/performance.md). With `--threads 1` the work runs on
/// the caller's thread when the value is first asked for, so no second thread ever runs.
package final class Background<T>: @unchecked Sendable {
    private var result: T?
    private let work: () -> T
    /// Signalled once `result` is set by the thread; nil when the work waits for the caller.
    private let done: DispatchSemaphore?

    /// `threads`: the most threads the process may run at once (`--threads`).
    package init(threads: Int = Parallel.threadLimit, _ work: @escaping @Sendable () -> T) {
        self.work = work
        guard threads > 1 else {
            done = nil
            return
        }
        let done = DispatchSemaphore(value: 0)
        self.done = done
        // The thread writes `result` once, before the signal the reader waits for.
        Thread { [self] in
            result = work()
            done.signal()
        }.start()
    }

    /// The value, waiting for the thread to finish it.
    package var value: T {
        if let done {
            done.wait()
            done.signal()
        } else if result == nil {
            result = work()
        }
        return result!
    }
}

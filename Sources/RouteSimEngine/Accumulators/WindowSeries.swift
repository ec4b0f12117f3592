import RouteSimModel
import RouteSimStatistics
/// Per-window counts of one policy, mergeable by window index. Windows near each other are
/// stored densely (O(1) per request); a window far from the others goes to a sparse table, so
/// memory follows the number of windows used, never the span of the timestamps
/// (docs/log-formats.md, "Limits"): one record dated 9999 costs one window, not millions.
public struct WindowSeries: Sendable, Codable {
    private var first = 0
    private var dense: [WindowCounts] = []
    /// Dense windows that saw requests.
    private var denseUsed = 0
    private var sparse: [Int: WindowCounts] = [:]
    package let modelCount: Int

    package init(modelCount: Int) {
        self.modelCount = modelCount
    }

    package mutating func record(_ decision: Decision, costUnits: Int128, routedRight: Bool, budgetMs: Double?, window: Int) {
        // A window already in the dense range, as nearly every request's is, found without a call.
        if let slot = window >= first && window < first + dense.count ? window - first : slot(for: window) {
            if dense[slot].requests == 0 { denseUsed += 1 }
            dense[slot].record(decision, costUnits: costUnits, routedRight: routedRight, budgetMs: budgetMs)
        } else {
            sparse[window, default: WindowCounts(modelCount: modelCount)]
                .record(decision, costUnits: costUnits, routedRight: routedRight, budgetMs: budgetMs)
        }
    }

    /// The dense slot of `window`, growing the dense range when that keeps it at most about twice
    /// the windows used; nil when the window belongs in the sparse table.
    private mutating func slot(for window: Int) -> Int? {
        if window >= first && window < first + dense.count { return window - first }
        let low = dense.isEmpty ? window : min(first, window)
        let high = dense.isEmpty ? window : max(first + dense.count - 1, window)
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span < 2 * (denseUsed + sparse.count + 1) + 64 else { return nil }
        let empty = WindowCounts(modelCount: modelCount)
        if dense.isEmpty {
            first = window
            dense = [empty]
        } else if window < first {
            dense.insert(contentsOf: repeatElement(empty, count: first - window), at: 0)
            first = window
        } else {
            dense.append(contentsOf: repeatElement(empty, count: window - first - dense.count + 1))
        }
        // Windows kept apart so far that the dense range now covers move into it.
        for (index, counts) in sparse where index >= first && index < first + dense.count {
            dense[index - first] = counts
            denseUsed += 1
            sparse[index] = nil
        }
        return window - first
    }

    package mutating func merge(_ other: WindowSeries) {
        for (index, theirs) in other.windows {
            if let slot = slot(for: index) {
                if dense[slot].requests == 0 { denseUsed += 1 }
                dense[slot].merge(theirs)
            } else {
                sparse[index, default: WindowCounts(modelCount: modelCount)].merge(theirs)
            }
        }
    }

    /// One request of `window` that was within the latency budget is no longer (a queue wait added).
    package mutating func leaveBudget(window: Int) {
        if window >= first && window < first + dense.count {
            dense[window - first].budget.within -= 1
        } else {
            sparse[window]?.budget.within -= 1
        }
    }

    /// Adds a fleet's cost to the windows that saw requests, by their requests, exactly.
    package mutating func addFleetCost(_ units: Int128) {
        let used = windows
        for ((index, _), share) in zip(used, Apportion.units(units, weights: used.map(\.counts.requests))) {
            if index >= first && index < first + dense.count {
                dense[index - first].costUnits += share
            } else {
                sparse[index]?.costUnits += share
            }
        }
    }

    /// Windows held in memory, used or not: at most about twice those used.
    package var storedSlots: Int { dense.count + sparse.count }

    /// The windows that saw requests, in time order, by window index.
    public var windows: [(index: Int, counts: WindowCounts)] {
        var all = dense.enumerated().compactMap { $1.requests > 0 ? (first + $0, $1) : nil }
        guard !sparse.isEmpty else { return all }
        all += sparse.map { ($0.key, $0.value) }
        return all.sorted { $0.0 < $1.0 }
    }
}

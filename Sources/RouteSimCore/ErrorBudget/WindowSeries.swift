/// Per-window counts of one policy, stored densely from the first window seen: O(1) per request,
/// mergeable by window index.
public struct WindowSeries: Sendable, Equatable {
    public private(set) var first = 0
    public private(set) var counts: [WindowCounts] = []
    let modelCount: Int

    init(modelCount: Int) {
        self.modelCount = modelCount
    }

    /// The counts of `window`, made room for if needed.
    subscript(window: Int) -> WindowCounts {
        get { counts.isEmpty || window < first || window >= first + counts.count ? WindowCounts(modelCount: modelCount) : counts[window - first] }
        set {
            reserve(window)
            counts[window - first] = newValue
        }
    }

    mutating func record(_ decision: Decision, costUnits: Int128, routedRight: Bool, window: Int) {
        reserve(window)
        counts[window - first].record(decision, costUnits: costUnits, routedRight: routedRight)
    }

    private mutating func reserve(_ window: Int) {
        if counts.isEmpty {
            first = window
            counts = [WindowCounts(modelCount: modelCount)]
        } else if window < first {
            counts.insert(contentsOf: Array(repeating: WindowCounts(modelCount: modelCount), count: first - window), at: 0)
            first = window
        } else if window >= first + counts.count {
            counts.append(contentsOf: Array(repeating: WindowCounts(modelCount: modelCount), count: window - first - counts.count + 1))
        }
    }

    mutating func merge(_ other: WindowSeries) {
        for (offset, theirs) in other.counts.enumerated() where theirs.requests > 0 {
            var mine = self[other.first + offset]
            mine.merge(theirs)
            self[other.first + offset] = mine
        }
    }

    /// The windows that saw requests, in time order, by window index.
    public var windows: [(index: Int, counts: WindowCounts)] {
        counts.enumerated().compactMap { $1.requests > 0 ? (first + $0, $1) : nil }
    }
}

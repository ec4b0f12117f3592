/// A four-way min-heap: the fleet simulation's event queue (docs/performance.md, "Self-hosted
/// fleets"). swift-collections' `Heap` is a min-max heap — it can pop either end — and pays for
/// that on every pop. Node n's children are 4n + 1 … 4n + 4: half the levels of a binary heap,
/// each level's four children compared two by two and then the two smaller, comparisons the
/// processor makes side by side. `popMin` moves the hole to a leaf along the smallest children,
/// then sifts the last element up from there (Floyd's variant). Its storage is one buffer it
/// owns, so no operation checks for a shared copy.
final class MinHeap<Element: Comparable> {
    // Only the heap's own methods touch these, one at a time: no access needs checking at run time.
    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = Swift.max(capacity, 1)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    var min: Element? { count == 0 ? nil : storage[0] }

    @inline(__always)
    func insert(_ element: Element) {
        if count == capacity { grow() }
        (storage + count).initialize(to: element)
        count += 1
        siftUp(element, from: count - 1)
    }

    @inline(__always)
    func popMin() -> Element? {
        guard count > 0 else { return nil }
        count -= 1
        let smallest = storage[0], last = (storage + count).move()
        guard count > 0 else { return smallest }
        (storage + 0).initialize(to: last)
        var hole = 0
        while 4 * hole + 1 < count {
            var child = 4 * hole + 1
            if child + 3 < count {
                let first = storage[child + 1] < storage[child] ? child + 1 : child
                let second = storage[child + 3] < storage[child + 2] ? child + 3 : child + 2
                child = storage[second] < storage[first] ? second : first
            } else {
                // The last node's children, fewer than four.
                var other = child + 1
                while other < count {
                    if storage[other] < storage[child] { child = other }
                    other += 1
                }
            }
            storage[hole] = storage[child]
            hole = child
        }
        siftUp(last, from: hole)
        return smallest
    }

    @inline(__always)
    private func siftUp(_ element: Element, from start: Int) {
        var index = start
        while index > 0 {
            let parent = (index - 1) / 4
            guard element < storage[parent] else { break }
            storage[index] = storage[parent]
            index = parent
        }
        storage[index] = element
    }

    private func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity *= 2
    }
}

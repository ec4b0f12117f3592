/// A binary min-heap: the fleet simulation's event queue (docs/performance.md, "Self-hosted
/// fleets"). swift-collections' `Heap` is a min-max heap — it can pop either end — and pays for
/// that on every pop. `popMin` moves the hole to a leaf along the smaller children, then sifts
/// the last element up from there (Floyd's variant: about one comparison a level, not two). Its storage is one buffer it owns, so no operation checks for a shared copy.
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
        while 2 * hole + 1 < count {
            var child = 2 * hole + 1
            if child + 1 < count { child += storage[child + 1] < storage[child] ? 1 : 0 }
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
            let parent = (index - 1) / 2
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

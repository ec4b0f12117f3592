import Testing
@testable import RouteSimEngine
@testable import RouteSimStatistics

/// The fleet simulation's event queue (docs/performance.md): whatever the order of inserts and
/// pops, each pop gives the smallest element left.
@Suite("The event queue pops the smallest first")
struct MinHeapTests {
    @Test func popsMatchASortedCopyUnderMixedInsertsAndPops() {
        let random = RandomSource(seed: 11)
        let heap = MinHeap<Int>(capacity: 1)
        var reference: [Int] = []
        for round in 0..<4_000 {
            // Mostly inserts early, mostly pops late, so the heap grows past its capacity and drains.
            if random.uniform() < (round < 2_000 ? 0.7 : 0.3) {
                let value = Int(random.uniform() * 1000)
                heap.insert(value)
                reference.append(value)
            } else {
                let expected = reference.min()
                if let expected { reference.remove(at: reference.firstIndex(of: expected)!) }
                #expect(heap.popMin() == expected)
            }
            #expect(heap.min == reference.min() && heap.count == reference.count)
        }
    }

    @Test func anEmptyHeapPopsNothing() {
        let heap = MinHeap<Double>()
        #expect(heap.popMin() == nil && heap.min == nil)
        heap.insert(2)
        #expect(heap.popMin() == 2 && heap.popMin() == nil)
    }
}

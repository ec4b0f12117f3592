import CPrefetch
import Glibc

/// The replay's index of accepted ids (docs/performance.md, "Duplicate ids"): each id's 64-bit
/// hash → where it was first seen. An open-addressing table of (hash, place) pairs, at most three
/// quarters full, probed linearly from a multiplicative hash of the key: one cache line touched
/// for most lookups, where a `Dictionary` hashes the key again with its seeded hasher and keeps
/// metadata apart. A hash of 0 marks an empty slot, so the id whose hash is 0 is kept beside the
/// table. The table is mapped from the kernel in small pages, already zeroed, and all of them are
/// asked for at once when it is made (docs/performance.md, "Duplicate ids"): a page first touched
/// by a lookup costs that lookup a fault, and huge pages took from 3 to 77 ms to come for the
/// bench's table, depending on what the machine had just freed.
final class IDIndex {
    private struct Slot {
        var key: UInt64
        var value: Int
    }

    private var slots: UnsafeMutablePointer<Slot>
    /// Slots: a power of two.
    private var capacity: Int
    private(set) var count = 0
    private var zero: Int?

    init(capacity wanted: Int = 1024) {
        capacity = Self.slots(for: wanted)
        slots = Self.table(capacity)
    }

    deinit { Self.release(slots, capacity) }

    /// Where `key` was first seen, if it was; otherwise records `value` for it and returns nil.
    func insert(_ key: UInt64, _ value: Int) -> Int? {
        if key == 0 {
            if let zero { return zero }
            zero = value
            return nil
        }
        let mask = capacity - 1
        var slot = Self.home(key, mask)
        while slots[slot].key != 0 {
            if slots[slot].key == key { return slots[slot].value }
            slot = (slot + 1) & mask
        }
        slots[slot] = Slot(key: key, value: value)
        count += 1
        if 4 * count > 3 * capacity { resize(to: capacity * 2) }
        return nil
    }

    /// Asks for the slot where a lookup of `key` starts to be brought into the cache, so that the
    /// lookup a few keys later does not wait for memory (docs/performance.md, "Duplicate ids").
    @inline(__always)
    func prefetch(_ key: UInt64) {
        routesim_prefetch_for_write(slots + Self.home(key, capacity - 1))
    }

    /// Makes room for `more` keys beyond those held, so that adding them does not resize.
    func reserve(_ more: Int) {
        let needed = Self.slots(for: count + more)
        if needed > capacity { resize(to: needed) }
    }

    /// The smallest power of two that holds `keys` at most three quarters full.
    private static func slots(for keys: Int) -> Int {
        var slots = 16
        while 3 * slots < 4 * keys { slots *= 2 }
        return slots
    }

    @inline(__always)
    private static func home(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// `count` empty slots, mapped zeroed, every page brought in at once. (A kernel older than
    /// Linux 5.14 refuses `MADV_POPULATE_WRITE`; its pages then come as lookups first touch them.)
    private static func table(_ count: Int) -> UnsafeMutablePointer<Slot> {
        let bytes = count * MemoryLayout<Slot>.stride
        guard let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              memory != MAP_FAILED else { fatalError("out of memory") }
        _ = madvise(memory, bytes, MADV_POPULATE_WRITE)
        return memory.bindMemory(to: Slot.self, capacity: count)
    }

    private static func release(_ table: UnsafeMutablePointer<Slot>, _ count: Int) {
        munmap(table, count * MemoryLayout<Slot>.stride)
    }

    private func resize(to count: Int) {
        let (old, oldCapacity) = (slots, capacity)
        capacity = count
        slots = Self.table(count)
        let mask = count - 1
        for index in 0..<oldCapacity where old[index].key != 0 {
            var slot = Self.home(old[index].key, mask)
            while slots[slot].key != 0 { slot = (slot + 1) & mask }
            slots[slot] = old[index]
        }
        Self.release(old, oldCapacity)
    }
}

/// The replay's index of accepted ids (docs/performance.md, "Duplicate ids"): each id's 64-bit
/// hash → where it was first seen. An open-addressing table of two flat arrays, at most three
/// quarters full, probed linearly from a multiplicative hash of the key: one cache line touched for most
/// lookups, where a `Dictionary` hashes the key again with its seeded hasher and keeps metadata
/// apart. A hash of 0 marks an empty slot, so the id whose hash is 0 is kept beside the table.
final class IDIndex {
    private var keys: UnsafeMutablePointer<UInt64>
    private var values: UnsafeMutablePointer<Int>
    /// Slots: a power of two.
    private var capacity: Int
    private(set) var count = 0
    private var zero: Int?

    init(capacity wanted: Int = 1024) {
        capacity = Self.slots(for: wanted)
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        values = .allocate(capacity: capacity)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Where `key` was first seen, if it was; otherwise records `value` for it and returns nil.
    func insert(_ key: UInt64, _ value: Int) -> Int? {
        if key == 0 {
            if let zero { return zero }
            zero = value
            return nil
        }
        let mask = capacity - 1
        var slot = Self.home(key, mask)
        while keys[slot] != 0 {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = value
        count += 1
        if 4 * count > 3 * capacity { resize(to: capacity * 2) }
        return nil
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

    private func resize(to slots: Int) {
        let (oldKeys, oldValues, oldCapacity) = (keys, values, capacity)
        capacity = slots
        keys = .allocate(capacity: slots)
        keys.initialize(repeating: 0, count: slots)
        values = .allocate(capacity: slots)
        let mask = slots - 1
        for old in 0..<oldCapacity where oldKeys[old] != 0 {
            var slot = Self.home(oldKeys[old], mask)
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[old]
            values[slot] = oldValues[old]
        }
        oldKeys.deallocate()
        oldValues.deallocate()
    }
}

/// A chunk's names (its categories, or its steps' names) numbered in order of first appearance.
/// Up to 16 are found by comparing names — a short one is two machine words — sooner than by
/// hashing them; an index by name takes over beyond (docs/performance.md).
struct ChunkNames {
    private var index: [String: Int32] = [:]

    /// `name`'s number in `names`, appending it when it is new.
    mutating func number(of name: String, in names: inout [String]) -> Int32 {
        if names.count <= 16 {
            if let found = names.firstIndex(of: name) { return Int32(found) }
        } else if let found = index[name] {
            return found
        }
        let number = Int32(names.count)
        names.append(name)
        index[name] = number
        return number
    }

    /// Forgets the names, for the next chunk.
    mutating func removeAll() {
        index.removeAll(keepingCapacity: true)
    }
}

/// A chunk's names (its categories, or its steps' names) numbered in order of first appearance.
/// Up to 16 are found by comparing names — a short one is two machine words — sooner than by
/// hashing them; an index by name takes over beyond (docs/performance.md).
struct ChunkNames {
    private var index: [String: Int32] = [:]
    /// `recent[p]`: the number last given to a name at position p of its record's steps (−1: none).
    private var recent: [Int32] = []

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

    /// `number(of:in:)` for the name of the step at `position` in its record: the name last
    /// numbered at that position is tried first. Requests of a log mostly run the same steps in
    /// the same order, and the decoder gives a name read again the same `String`, whose
    /// comparison with itself is one of two machine words, not of their text (docs/performance.md).
    mutating func number(of name: String, at position: Int, in names: inout [String]) -> Int32 {
        if position < recent.count, recent[position] >= 0, names[Int(recent[position])] == name { return recent[position] }
        let number = number(of: name, in: &names)
        if position >= recent.count { recent.append(contentsOf: repeatElement(-1, count: position - recent.count + 1)) }
        recent[position] = number
        return number
    }

    /// Forgets the names, for the next chunk.
    mutating func removeAll() {
        index.removeAll(keepingCapacity: true)
        recent.removeAll(keepingCapacity: true)
    }
}

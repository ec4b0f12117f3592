/// What replaying one chunk produced, kept in line order until it is merged in sequence.
struct ChunkResult {
    /// An accepted record, before the run-wide duplicate-id check.
    struct Entry {
        var id: String
        var line: Int
        var timestamp: Double
        var oracleCost: Double?
        /// Where its text is: a byte range of the chunk, or (for built records) an index.
        var rawStart: Int
        var rawLength: Int
    }

    var entries: [Entry] = []
    /// `policyCount` decisions per entry.
    var decisions: [Decision] = []
    /// `modelCount` outcome states per entry: 0 none, 1 failed, 2 succeeded.
    var outcomeStates: [UInt8] = []
    var problems: [RecordProblem] = []
}

/// One sub-task of a request — intent, retrieval, generation… (docs/log-formats.md, "Steps") —
/// with its outcomes by catalog position, as a record's are. A step named like an earlier one is
/// a further round of it (a critic loop's revision).
public struct Step: Sendable {
    public var name: String
    /// Indices of the earlier steps it waits for (by default, the step before it).
    public var after: [Int]
    public var inputTokens: Int
    public var outputTokens: Int?
    public var cachedInputTokens: Int
    /// 1 for the first step of its name, 2 for the second, …
    public var round: Int
    /// `outcomes[i]` is catalog model i's outcome on this step, or nil when the log has none.
    public var outcomes: [Outcome?]
    /// `mocked[i]`: outcome i was drawn from a mock.
    public var mocked: [Bool]
    /// The models production called on this step, in order, when the log records its calls.
    public var calls: [Int] = []

    public init(name: String, after: [Int], inputTokens: Int, outputTokens: Int? = nil, cachedInputTokens: Int = 0,
                round: Int = 1, outcomes: [Outcome?]) {
        self.name = name
        self.after = after
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.round = round
        self.outcomes = outcomes
        mocked = Array(repeating: false, count: outcomes.count)
    }

    /// The steps `names` name, for step `index` of `steps`: each the latest earlier step of that
    /// name. A name that is the step's own, a later step's or no step's is refused.
    package static func dependencies(_ names: [String], of index: Int, in steps: [Step]) throws(FieldProblem) -> [Int] {
        var found: [Int] = []
        for name in names {
            if let earlier = steps[..<index].lastIndex(where: { $0.name == name }) {
                if !found.contains(earlier) { found.append(earlier) }
                continue
            }
            let field = "steps[\(index)].after"
            if name == steps[index].name {
                throw FieldProblem(field: field, reason: "step '\(name)' cannot wait for itself (a further round is a later step of the same name)")
            }
            if steps[(index + 1)...].contains(where: { $0.name == name }) {
                throw FieldProblem(field: field, reason: "'\(name)' comes later in the list: a step may only wait for steps before it (list steps in the order they start)")
            }
            throw FieldProblem(field: field, reason: "no step is named '\(name)' (the steps are: \(Self.names(steps)))")
        }
        return found
    }

    /// The distinct step names, in order of first appearance.
    package static func names(_ steps: [Step]) -> String {
        var seen: [String] = []
        for step in steps where !seen.contains(step.name) { seen.append(step.name) }
        return seen.joined(separator: ", ")
    }
}

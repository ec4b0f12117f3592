/// One request of a log (docs/log-formats.md), with its outcomes indexed by catalog position.
public struct Record: Sendable {
    public var id: String
    /// The line of the source file it was read from (for messages).
    public var line: Int
    /// Seconds since the Unix epoch.
    public var timestamp: Double
    public var inputTokens: Int
    public var outputTokens: Int?
    public var cachedInputTokens: Int
    /// The part of the input written to the provider's prompt cache (priced apart by some providers).
    public var cacheWriteInputTokens = 0
    public var category: String?
    /// The features the loaded policies test, by key.
    public var features: Features
    public var routerModel: Int?
    public var routerConfidence: Double?
    public var servedBy: String?
    public var propensity: Double?
    /// `outcomes[i]` is catalog model i's outcome, or nil when the log did not record it.
    public var outcomes: [Outcome?]
    /// `mocked[i]`: outcome i was drawn from a mock, not recorded.
    public var mocked: [Bool]
    /// The request's steps, in the order they start; empty for a one-call request, whose
    /// outcomes are `outcomes` (docs/log-formats.md, "Steps").
    public var steps: [Step] = []
    /// The catalog models production called for this request, in the order it called them, when
    /// the log records its calls (traces, gateways, batches); empty otherwise, where `servedBy`
    /// names the one call (docs/policies.md, "What production did").
    public var calls: [Int] = []

    public init(id: String, line: Int = 0, timestamp: Double = 0, inputTokens: Int, outputTokens: Int? = nil,
                cachedInputTokens: Int = 0, category: String? = nil, features: [String: FeatureValue] = [:],
                routerModel: Int? = nil, routerConfidence: Double? = nil, servedBy: String? = nil,
                propensity: Double? = nil, outcomes: [Outcome?]) {
        self.id = id
        self.line = line
        self.timestamp = timestamp
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.category = category
        self.features = Features(features)
        self.routerModel = routerModel
        self.routerConfidence = routerConfidence
        self.servedBy = servedBy
        self.propensity = propensity
        self.outcomes = outcomes
        mocked = Array(repeating: false, count: outcomes.count)
    }
}

/// What one model did (or would have done) for one request.
public struct Outcome: Equatable, Sendable {
    public var success: Bool
    public var quality: Double?
    public var latencyMs: Double?
    public var outputTokens: Int?
    public var costUSD: Double?
    public var confidence: Double?
    /// The part of `outputTokens` spent reasoning (priced apart by some providers).
    public var reasoningTokens: Int?
    /// This call's input counts when they differ from the request's; nil: the request's.
    public var input: InputCounts?

    public init(success: Bool, quality: Double? = nil, latencyMs: Double? = nil, outputTokens: Int? = nil,
                costUSD: Double? = nil, confidence: Double? = nil) {
        self.success = success
        self.quality = quality
        self.latencyMs = latencyMs
        self.outputTokens = outputTokens
        self.costUSD = costUSD
        self.confidence = confidence
    }
}

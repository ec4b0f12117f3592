/// What one model did (or would have done) for one request.
///
/// Stored compactly — each optional figure as its value and one bit saying whether it is given —
/// because records hold an outcome per model and step and the replay copies them often: 80
/// bytes where six optionals and an optional triple took 136 (docs/performance.md). The
/// properties read and write as optionals; an absent figure is stored as zero, so two outcomes
/// are equal exactly when their optionals are.
public struct Outcome: Equatable, Sendable {
    public var success: Bool
    private var given: UInt8 = 0
    private var storedQuality = 0.0, storedLatencyMs = 0.0, storedCostUSD = 0.0, storedConfidence = 0.0
    private var storedOutputTokens = 0, storedReasoningTokens = 0
    private var storedInput = InputCounts(tokens: 0)

    private enum Figure: UInt8 {
        case quality = 1, latencyMs = 2, outputTokens = 4, costUSD = 8, confidence = 16, reasoningTokens = 32, input = 64
    }

    public init(success: Bool, quality: Double? = nil, latencyMs: Double? = nil, outputTokens: Int? = nil,
                costUSD: Double? = nil, confidence: Double? = nil) {
        self.success = success
        self.quality = quality
        self.latencyMs = latencyMs
        self.outputTokens = outputTokens
        self.costUSD = costUSD
        self.confidence = confidence
    }

    @inline(__always)
    private func get<T>(_ figure: Figure, _ value: T) -> T? { given & figure.rawValue != 0 ? value : nil }

    @inline(__always)
    private mutating func mark(_ figure: Figure, _ isGiven: Bool) {
        given = isGiven ? given | figure.rawValue : given & ~figure.rawValue
    }

    public var quality: Double? {
        get { get(.quality, storedQuality) }
        set {
            storedQuality = newValue ?? 0
            mark(.quality, newValue != nil)
        }
    }

    public var latencyMs: Double? {
        get { get(.latencyMs, storedLatencyMs) }
        set {
            storedLatencyMs = newValue ?? 0
            mark(.latencyMs, newValue != nil)
        }
    }

    public var outputTokens: Int? {
        get { get(.outputTokens, storedOutputTokens) }
        set {
            storedOutputTokens = newValue ?? 0
            mark(.outputTokens, newValue != nil)
        }
    }

    public var costUSD: Double? {
        get { get(.costUSD, storedCostUSD) }
        set {
            storedCostUSD = newValue ?? 0
            mark(.costUSD, newValue != nil)
        }
    }

    public var confidence: Double? {
        get { get(.confidence, storedConfidence) }
        set {
            storedConfidence = newValue ?? 0
            mark(.confidence, newValue != nil)
        }
    }

    /// The part of `outputTokens` spent reasoning (priced apart by some providers).
    public var reasoningTokens: Int? {
        get { get(.reasoningTokens, storedReasoningTokens) }
        set {
            storedReasoningTokens = newValue ?? 0
            mark(.reasoningTokens, newValue != nil)
        }
    }

    /// This call's input counts when they differ from the request's; nil: the request's.
    public var input: InputCounts? {
        get { get(.input, storedInput) }
        set {
            storedInput = newValue ?? InputCounts(tokens: 0)
            mark(.input, newValue != nil)
        }
    }
}

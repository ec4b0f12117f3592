/// One call's own input tokens, when its source counted them apart from its request's: a
/// fallback whose provider cached a different share of the prompt, another model's tokenizer
/// (docs/log-formats.md, "Outcome fields"). Cached and cache-written tokens are parts of `tokens`.
public struct InputCounts: Equatable, Sendable {
    public var tokens: Int
    public var cached: Int
    public var cacheWrite: Int

    public init(tokens: Int, cached: Int = 0, cacheWrite: Int = 0) {
        self.tokens = tokens
        self.cached = cached
        self.cacheWrite = cacheWrite
    }
}

import RouteSimModel

/// What reading a log of calls assumed or set aside without refusing anything, counted so that
/// the report says so (docs/log-formats.md, "Calls, retries and duplicates").
public struct LogNotes: Equatable, Sendable, Codable {
    /// Failed calls whose source recorded no usage: kept as failed calls that billed nothing ($0).
    public var unbilledFailedCalls = 0
    /// Failed attempts that billed nothing and were retried on the same model: the retry stands for them.
    public var retriedAttempts = 0
    /// Observations of a call already counted (nested spans, one response id, or one model,
    /// token counts and timing), dropped.
    public var duplicateCalls = 0
    /// Requests whose calls were spread over more than one line, joined.
    public var requestsAcrossLines = 0
    /// Requests read as further calls after a successful one: steps "call 1", "call 2", ….
    public var multiCallRequests = 0
    /// Calls whose recorded cost was a placeholder for "could not price" (LiteLLM's 0.0 with a
    /// cost-failure note): priced from the catalog instead.
    public var repricedCalls = 0
    /// Batch lines no model answered (error lines): charged as failed calls, billing nothing, to
    /// the file's batch that has no answer for the request.
    public var unansweredBatchLines = 0
    /// Calls whose source recorded no time (batch error lines, OpenAI embedding lines): placed at
    /// their request's, else their file's, earliest recorded time.
    public var untimedCalls = 0

    public init() {}

    public var isEmpty: Bool { self == LogNotes() }

    public mutating func add(_ other: LogNotes) {
        unbilledFailedCalls += other.unbilledFailedCalls
        retriedAttempts += other.retriedAttempts
        duplicateCalls += other.duplicateCalls
        requestsAcrossLines += other.requestsAcrossLines
        multiCallRequests += other.multiCallRequests
        repricedCalls += other.repricedCalls
        unansweredBatchLines += other.unansweredBatchLines
        untimedCalls += other.untimedCalls
    }
}

import RouteSimModel
import RouteSimStatistics

/// One model call read from a log in someone else's format, before the calls of one request are
/// joined (docs/log-formats.md, "Calls, retries and duplicates").
package struct Observation {
    /// What joins calls into one request (a trace id, a custom id).
    package var request: String
    /// When the call started, seconds since the epoch.
    package var timestamp: Double
    /// Input tokens, cached and cache-written ones included (the GenAI conventions' rule).
    package var inputTokens: Int
    package var cachedInputTokens: Int
    package var cacheWriteInputTokens = 0
    package var category: String?
    package var model: String
    package var outcome: Outcome
    /// The step the call belongs to, when its source names one (docs/log-formats.md, "Steps").
    package var step: String?
    package var spanName: String?
    /// When the call ended (seconds since the epoch), for the order of steps.
    package var end: Double?
    /// Whether the source recorded the call's usage. A failed call without usage billed nothing:
    /// it is kept as a failed call costing $0, and counted in the reading notes.
    package var billed = true
    /// The provider's id of the response (`gen_ai.response.id`, a completion id), when given:
    /// two observations with one id are one call seen twice.
    package var responseID: String?
    /// The span's own id and its parent's, for spans (a call traced twice nests one span in the other).
    package var spanID: String?
    package var parentSpanID: String?
    /// Another name the source gives the model (LiteLLM's `model_group`), tried when `model` matches no catalog entry.
    package var alternateModel: String?
    /// Whether the source's recorded cost was a placeholder for "could not price" and was dropped.
    package var repriced = false
    /// Whether the source recorded when the call started. An untimed call (an OpenAI embedding
    /// batch line, a batch error line) takes its request's time, else the earliest of its file.
    package var timed = true
    /// Why the request failed, for a batch line that no model answered: it names no model, and
    /// the join charges it to the file's batch that has no answer for the request.
    package var unanswered: String?
    /// Why this call cannot be read; its request is then refused as a whole, other requests of
    /// the same line are not.
    package var problem: FieldProblem?

    package init(request: String, timestamp: Double, inputTokens: Int, cachedInputTokens: Int, cacheWriteInputTokens: Int = 0,
                 category: String?, model: String, outcome: Outcome, step: String? = nil, spanName: String? = nil, end: Double? = nil) {
        self.request = request
        self.timestamp = timestamp
        self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheWriteInputTokens = cacheWriteInputTokens
        self.category = category
        self.model = model
        self.outcome = outcome
        self.step = step
        self.spanName = spanName
        self.end = end
    }

    /// A failed call that billed nothing: kept, costing $0 (docs/log-formats.md, "Calls, retries and duplicates").
    package mutating func markUnbilled() {
        billed = false
        outcome.costUSD = 0
    }

    /// A call that could not be read, refusing its request.
    package static func unreadable(request: String, model: String, _ problem: FieldProblem) -> Observation {
        var observation = Observation(request: request, timestamp: 0, inputTokens: 0, cachedInputTokens: 0, category: nil, model: model,
                                      outcome: Outcome(success: false))
        observation.problem = problem
        return observation
    }
}

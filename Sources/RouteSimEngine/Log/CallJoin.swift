import RouteSimModel
import RouteSimStatistics

/// How the calls of a log of calls (traces, gateway payloads, batch output) become records
/// (docs/log-formats.md, "Calls, retries and duplicates"): duplicates of one call are dropped,
/// the calls of one request are joined across lines in time order, a failed attempt that billed
/// nothing and was retried on the same model gives way to its retry, a call on another model that
/// follows a failed call, or runs alongside (shadow, ensemble), is another model's outcome for the
/// same request, and a call after a successful one is a further step.
extension ForeignLog {
    /// A readable call, with its catalog model and where it was read.
    private struct Call {
        var observation: Observation
        var model: Int
        var line: Int
        var raw: String
        /// Its position in the file, for ties.
        var order: Int
    }

    /// Two spans of one model whose starts and ends lie this close are one call traced twice
    /// (when their token counts and status agree too).
    package static let duplicateToleranceSeconds = 0.010

    /// How the calls of one request relate.
    package enum Calls {
        /// In time: fallbacks, parallel calls and further steps (traces, gateway logs).
        case timeline
        /// Each call is the same request sent to another model (batch files run once per model).
        case alternatives
    }

    /// Converts the items and joins the calls of each request into one record.
    package static func join(_ items: [Item], path: String, catalog: ModelCatalog, converter: Converter,
                             calls relation: Calls = .timeline) -> LogChunk {
        var problems: [RecordProblem] = [], refused: Set<String> = [], order: [String] = [], seen: Set<String> = []
        var calls: [Call] = [], unanswered: [(observation: Observation, line: Int, raw: String)] = []
        for (number, content, observations) in convert(items, path: path, converter: converter, problems: &problems) {
            let shared = Set(observations.map(\.request)).count > 1
            for observation in observations where !refused.contains(observation.request) {
                func refuse(_ field: String, _ reason: String) {
                    let prefix = shared ? "request '\(observation.request)' is refused: " : ""
                    problems.append(RecordProblem(file: path, line: number, field: field, reason: prefix + reason, raw: content))
                    refused.insert(observation.request)
                }
                if let problem = observation.problem {
                    refuse(problem.field, problem.reason)
                    continue
                }
                if let (field, problem) = [("model", observation.model), ("category", observation.category ?? "-")]
                    .lazy.compactMap({ name, text in YAMLNode.nameProblem(text).map { (name, $0) } }).first,
                   observation.unanswered == nil {
                    refuse(field, problem)
                    continue
                }
                if seen.insert(observation.request).inserted { order.append(observation.request) }
                if observation.unanswered != nil {
                    unanswered.append((observation, number, content))
                    continue
                }
                guard let model = catalog.index(matching: observation.model) ?? observation.alternateModel.flatMap(catalog.index(matching:)) else {
                    refuse("model", catalog.noMatchReason(observation.model))
                    continue
                }
                calls.append(Call(observation: observation, model: model, line: number, raw: content, order: calls.count))
            }
        }
        var notes = LogNotes()
        calls += charge(unanswered, calls: calls, catalog: catalog, path: path, refused: &refused, problems: &problems, notes: &notes)
        time(&calls, notes: &notes)
        calls.removeAll { refused.contains($0.observation.request) }
        var findings: [(CostLint.Kind, RecordProblem)] = []
        calls = dropDuplicates(calls, path: path, notes: &notes, findings: &findings)
        var byRequest: [String: [Call]] = [:]
        for call in calls { byRequest[call.observation.request, default: []].append(call) }
        var records: [Record] = [], raw: [String] = []
        for request in order {
            guard let group = byRequest[request] else { continue }
            if relation == .alternatives, let twice = group.first(where: { call in group.filter { $0.model == call.model }.count > 1 }) {
                let again = group.last { $0.model == twice.model }!
                problems.append(RecordProblem(file: path, line: again.line, field: "model",
                                              reason: "request '\(request)' has two answers from model '\(twice.observation.model)' (the other on line \(twice.line)): one batch file per model, each request once", raw: again.raw))
                continue
            }
            let (record, text) = build(request, group, alternatives: relation == .alternatives, catalog: catalog, notes: &notes)
            records.append(record)
            raw.append(text)
        }
        var chunk = LogChunk(file: path, firstLine: 1, content: .records(records, raw: raw, problems: problems))
        chunk.notes = notes
        chunk.findings = findings
        return chunk
    }

    /// Each item's observations, with a problem for every item that is not an object or cannot be read.
    private static func convert(_ items: [Item], path: String, converter: Converter,
                                problems: inout [RecordProblem]) -> [(line: Int, raw: String, observations: [Observation])] {
        items.compactMap { number, content, parsed -> (line: Int, raw: String, observations: [Observation])? in
            do throws(FieldProblem) {
                return (number, content, try converter(try parsed.get()))
            } catch {
                problems.append(RecordProblem(file: path, line: number, field: error.field, reason: error.reason, raw: content))
                return nil
            }
        }
    }

    /// Batch lines that no model answered, as failed calls that billed nothing, each charged to
    /// a model of the file that has no answer for its request (a batch runs one model, so a
    /// file of one batch names it; a file joining several batches names the one left). When the
    /// file names no model, or more batches lack an answer than there are such lines, which
    /// batch failed cannot be told and the request is refused (docs/log-formats.md, "OpenAI Batch and vLLM").
    private static func charge(_ lines: [(observation: Observation, line: Int, raw: String)], calls: [Call], catalog: ModelCatalog,
                               path: String, refused: inout Set<String>, problems: inout [RecordProblem], notes: inout LogNotes) -> [Call] {
        let batches = Set(calls.map(\.model)).sorted()
        var answered: [String: Set<Int>] = [:], failures: [String: [(observation: Observation, line: Int, raw: String)]] = [:], order: [String] = []
        for call in calls { answered[call.observation.request, default: []].insert(call.model) }
        for entry in lines where !refused.contains(entry.observation.request) {
            if failures[entry.observation.request] == nil { order.append(entry.observation.request) }
            failures[entry.observation.request, default: []].append(entry)
        }
        var charged: [Call] = []
        for request in order {
            let entries = failures[request]!, open = batches.filter { !(answered[request] ?? []).contains($0) }
            guard !batches.isEmpty, entries.count == open.count else {
                let first = entries[0], why = "the request failed (\(first.observation.unanswered!)) before any model answered, and "
                let reason = batches.isEmpty
                    ? why + "this file names no model to charge the failure to (an error file names none): give it joined to its batch's output file, e.g. cat output.jsonl errors.jsonl > batch.jsonl"
                    : why + "\(open.count) of the file's batches (\(open.map { catalog.models[$0].name }.joined(separator: ", "))) have no answer for it but \(entries.count) line\(entries.count == 1 ? "" : "s") failed, so which batch failed cannot be told"
                problems.append(RecordProblem(file: path, line: first.line, field: "error", reason: reason, raw: first.raw))
                refused.insert(request)
                continue
            }
            for (entry, model) in zip(entries, open) {
                charged.append(Call(observation: entry.observation, model: model, line: entry.line, raw: entry.raw, order: calls.count + charged.count))
            }
            notes.unansweredBatchLines += entries.count
        }
        return charged
    }

    /// Gives each untimed call its request's earliest recorded time, else the file's, else
    /// RouterBench's fixed date when the file records none.
    private static func time(_ calls: inout [Call], notes: inout LogNotes) {
        guard calls.contains(where: { !$0.observation.timed }) else { return }
        var earliest: [String: Double] = [:]
        for call in calls where call.observation.timed {
            earliest[call.observation.request] = min(earliest[call.observation.request] ?? .infinity, call.observation.timestamp)
        }
        let fileEarliest = earliest.values.min() ?? RouterBenchReader.timestamp
        for index in calls.indices where !calls[index].observation.timed {
            calls[index].observation.timestamp = earliest[calls[index].observation.request] ?? fileEarliest
            notes.untimedCalls += 1
        }
    }

    /// Drops every observation that repeats a call already kept: a span nested in a span of the
    /// same model, the same provider response id, or — for spans — the same model with the same
    /// token counts, status and timing (within `duplicateToleranceSeconds`): as siblings in one
    /// trace, or as a root span alone in its trace beside a span with a parent in another (a
    /// provider SDK's own tracing, started without the application's context).
    private static func dropDuplicates(_ calls: [Call], path: String, notes: inout LogNotes,
                                       findings: inout [(CostLint.Kind, RecordProblem)]) -> [Call] {
        var dropped = [Bool](repeating: false, count: calls.count)
        /// Counts `lose` as a copy of `keep`, for the notes and the cost checks.
        func note(_ lose: Int, copyOf keep: Int, _ why: String) {
            dropped[lose] = true
            notes.duplicateCalls += 1
            let call = calls[lose]
            findings.append((.duplicateSpans, RecordProblem(
                file: path, line: call.line, field: "model",
                reason: "a call of '\(call.observation.model)' in request '\(call.observation.request)' repeats the one on line \(calls[keep].line) (\(why)): counted once",
                raw: "")))
        }
        /// Keeps the better of two copies of one call: the one with usage, else the first seen.
        func drop(_ a: Int, _ b: Int, _ why: String) {
            let keepB = !calls[a].observation.billed && calls[b].observation.billed
            keepB ? note(a, copyOf: b, why) : note(b, copyOf: a, why)
        }
        var spans: [String: Int] = [:], responses: [String: Int] = [:]
        for (index, call) in calls.enumerated() {
            if let span = call.observation.spanID { spans[call.observation.request + "\u{0}" + span] = index }
        }
        for (index, call) in calls.enumerated() {
            guard let parent = call.observation.parentSpanID,
                  let outer = spans[call.observation.request + "\u{0}" + parent], calls[outer].model == call.model,
                  !dropped[outer], !dropped[index] else { continue }
            drop(outer, index, "nested in a span of the same model")
        }
        for (index, call) in calls.enumerated() where !dropped[index] {
            guard let id = call.observation.responseID, !id.isEmpty else { continue }
            if let first = responses[id], !dropped[first] {
                drop(first, index, "the same response id '\(id)'")
                if dropped[first] { responses[id] = index }
            } else {
                responses[id] = index
            }
        }
        var perRequest: [String: Int] = [:]
        for (index, call) in calls.enumerated() where !dropped[index] { perRequest[call.observation.request, default: 0] += 1 }
        let byTime = calls.indices.filter { !dropped[$0] && calls[$0].observation.spanID != nil }.sorted {
            (calls[$0].model, calls[$0].observation.timestamp, $0) < (calls[$1].model, calls[$1].observation.timestamp, $1)
        }
        for (position, index) in byTime.enumerated() where !dropped[index] {
            for other in byTime[(position + 1)...] {
                let a = calls[index].observation, b = calls[other].observation
                guard calls[other].model == calls[index].model, b.timestamp - a.timestamp <= duplicateToleranceSeconds else { break }
                guard !dropped[other], abs((b.end ?? b.timestamp) - (a.end ?? a.timestamp)) <= duplicateToleranceSeconds,
                      a.inputTokens == b.inputTokens, a.outcome.outputTokens == b.outcome.outputTokens,
                      a.outcome.success == b.outcome.success else { continue }
                let sameRequest = a.request == b.request
                func alone(_ call: Observation) -> Bool { perRequest[call.request] == 1 && (call.parentSpanID ?? "").isEmpty }
                func nested(_ call: Observation) -> Bool { !(call.parentSpanID ?? "").isEmpty }
                guard sameRequest || (alone(a) && nested(b)) || (alone(b) && nested(a)) else { continue }
                // Across traces, the root span alone in its trace goes.
                let (keep, lose) = !sameRequest && alone(a) ? (other, index) : (index, other)
                note(lose, copyOf: keep, "the same model, tokens, status and timing")
                perRequest[calls[lose].observation.request]! -= 1
                if keep == other { break }
            }
        }
        return calls.indices.filter { !dropped[$0] }.map { calls[$0] }
    }

    /// One request's calls as one record: one call, or fallbacks on one request, make a record
    /// without steps; further calls make steps — named by the log where it names them, else
    /// "call 1", "call 2", … in time order.
    private static func build(_ request: String, _ group: [Call], alternatives: Bool, catalog: ModelCatalog,
                              notes: inout LogNotes) -> (Record, String) {
        let sorted = group.sorted { ($0.observation.timestamp, $0.order) < ($1.observation.timestamp, $1.order) }
        var calls: [Call] = []
        for (index, call) in sorted.enumerated() {
            let attempt = !call.observation.billed && !call.observation.outcome.success
            if attempt, sorted[(index + 1)...].contains(where: { $0.model == call.model && $0.observation.step == call.observation.step }) {
                notes.retriedAttempts += 1
                continue
            }
            if attempt { notes.unbilledFailedCalls += 1 }
            calls.append(call)
        }
        if Set(calls.map(\.line)).count > 1 { notes.requestsAcrossLines += 1 }
        notes.repricedCalls += calls.filter(\.observation.repriced).count
        var lines: [String] = []
        for call in calls where !lines.contains(call.raw) { lines.append(call.raw) }
        let raw = lines.joined(separator: "\n")
        let named = calls.contains { $0.observation.step != nil }
        var steps: [(name: String, calls: [Call])] = []
        for call in calls {
            if named {
                let name = call.observation.step ?? call.observation.spanName ?? call.observation.model
                if let index = steps.lastIndex(where: { $0.name == name }), !steps[index].calls.contains(where: { $0.model == call.model }) {
                    steps[index].calls.append(call)
                } else {
                    steps.append((name, [call]))
                }
            } else if let last = steps.last, !last.calls.contains(where: { $0.model == call.model }),
                      alternatives || !last.calls.last!.observation.outcome.success
                        || call.observation.timestamp < last.calls.map({ $0.observation.end ?? $0.observation.timestamp }).max()! {
                steps[steps.count - 1].calls.append(call)
            } else {
                steps.append(("call \(steps.count + 1)", [call]))
            }
        }
        let category = calls.lazy.compactMap(\.observation.category).first
        let start = calls.map(\.observation.timestamp).min() ?? 0
        guard named || steps.count > 1 else {
            let first = billed(calls)
            var record = Record(id: request, line: calls.map(\.line).min()!, timestamp: start, inputTokens: first.observation.inputTokens,
                                cachedInputTokens: first.observation.cachedInputTokens, category: category,
                                outcomes: Array(repeating: nil, count: catalog.count))
            record.cacheWriteInputTokens = first.observation.cacheWriteInputTokens
            for call in calls { record.outcomes[call.model] = outcome(of: call, beside: first) }
            record.calls = calls.map(\.model)
            return (record, raw)
        }
        if !named { notes.multiCallRequests += 1 }
        return (workflow(request, steps, category: category, start: start, catalog: catalog), raw)
    }

    /// A call's outcome, carrying its own input counts when they differ from those of the call
    /// standing for its request or step, so that it is priced at what it used.
    private static func outcome(of call: Call, beside first: Call) -> Outcome {
        var outcome = call.observation.outcome
        let own = InputCounts(tokens: call.observation.inputTokens, cached: call.observation.cachedInputTokens,
                              cacheWrite: call.observation.cacheWriteInputTokens)
        let shared = InputCounts(tokens: first.observation.inputTokens, cached: first.observation.cachedInputTokens,
                                 cacheWrite: first.observation.cacheWriteInputTokens)
        if call.observation.billed, own != shared { outcome.input = own }
        return outcome
    }

    /// The call whose usage stands for a request's or step's tokens: the first that recorded usage.
    private static func billed(_ calls: [Call]) -> Call {
        calls.first { $0.observation.billed } ?? calls[0]
    }

    /// Steps of calls as one record (docs/log-formats.md, "Steps"): a step named like an earlier
    /// one is a further round of it; a step waits for the steps that ended before it started.
    private static func workflow(_ request: String, _ groups: [(name: String, calls: [Call])], category: String?, start: Double,
                                 catalog: ModelCatalog) -> Record {
        var steps: [Step] = [], spans: [(start: Double, end: Double)] = []
        for (name, calls) in groups {
            let first = billed(calls)
            var step = Step(name: name, after: [], inputTokens: first.observation.inputTokens,
                            cachedInputTokens: first.observation.cachedInputTokens, round: steps.filter { $0.name == name }.count + 1,
                            outcomes: Array(repeating: nil, count: catalog.count))
            for call in calls { step.outcomes[call.model] = outcome(of: call, beside: first) }
            step.calls = calls.map(\.model)
            steps.append(step)
            spans.append((calls.map(\.observation.timestamp).min()!, calls.map { $0.observation.end ?? $0.observation.timestamp }.max()!))
        }
        for index in steps.indices {
            steps[index].after = steps.indices.filter { $0 < index && spans[$0].end <= spans[index].start }
        }
        var record = Record(id: request, line: groups.flatMap { $0.calls.map(\.line) }.min()!, timestamp: start,
                            inputTokens: steps.first?.inputTokens ?? 0, category: category,
                            outcomes: Array(repeating: nil, count: catalog.count))
        record.steps = steps
        return record
    }
}

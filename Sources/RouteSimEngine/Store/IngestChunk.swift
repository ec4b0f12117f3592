import RouteSimModel
import CRecordParser

/// One chunk of a log as `ingest` stores it: every line parsed and checked, with the columns
/// copied out of the parser, so that one thread prepares the next chunk while another inserts
/// this one (docs/store.md, "How ingest stores records").
struct IngestChunk {
    /// A line's columns; texts are ranges of `texts`, the line itself a range of `lines`.
    struct Row {
        var line: Int
        var text: Range<Int>
        var id: Range<Int>
        var timestamp: Double
        var inputTokens: Int
        var outputTokens: Int?
        var cachedInputTokens: Int
        var category: Range<Int>?
        var routerModel: Range<Int>?
        var routerConfidence: Double?
        var servedBy: Range<Int>?
        var propensity: Double?
    }

    enum Entry {
        case row(Row)
        case problem(RecordProblem)
    }

    /// Problems a whole-file reader found before its records became lines.
    var readerProblems: [RecordProblem] = []
    /// The chunk's lines, in file order.
    var entries: [Entry] = []
    var lines: [UInt8] = []
    var texts: [UInt8] = []

    /// Parses and checks every line of `chunk` (canonical lines as read; other formats' records
    /// written as canonical lines first, with model names as the file gives them).
    init(_ chunk: LogChunk, parser: OpaquePointer, catalog: ModelCatalog, path: String) {
        var lines = chunk
        if case let .records(records, _, problems) = chunk.content {
            readerProblems = problems
            lines = Self.canonicalLines(records, catalog: catalog, path: path)
        }
        guard case let .jsonLines(bytes, length) = lines.content else { return }
        self.lines = bytes
        var raw = rp_record()
        var record = Record(id: "", inputTokens: 0, outcomes: [])
        bytes.withUnsafeBytes { buffer in
            LogChunk.forEachLine(in: buffer, length: length, firstLine: lines.firstLine) { text, line, start in
                let number = lines.origins?[line - lines.firstLine].line ?? line
                let base = text.baseAddress!.assumingMemoryBound(to: CChar.self)
                do throws(FieldProblem) {
                    guard rp_parse(parser, base, text.count, buffer.count - start, &raw) == 0 else {
                        throw FieldProblem(field: String(cString: rp_error_field(parser)), reason: String(cString: rp_error_message(parser)))
                    }
                    try Self.checkRules(raw, record: &record)
                } catch {
                    entries.append(.problem(RecordProblem(file: path, line: number, field: error.field, reason: error.reason,
                                                          raw: String(decoding: text, as: UTF8.self))))
                    return
                }
                entries.append(.row(row(raw, line: number, text: start..<(start + text.count))))
            }
        }
    }

    private mutating func row(_ raw: rp_record, line: Int, text: Range<Int>) -> Row {
        func keep(_ string: rp_str) -> Range<Int> {
            let start = texts.count
            texts.append(contentsOf: UnsafeRawBufferPointer(start: string.ptr, count: string.len))
            return start..<texts.count
        }
        func has(_ flag: Int32) -> Bool { raw.present & UInt32(flag) != 0 }
        return Row(line: line, text: text, id: keep(raw.id), timestamp: raw.ts, inputTokens: Int(raw.input_tokens),
                   outputTokens: has(Int32(RP_REC_OUTPUT_TOKENS)) ? Int(raw.output_tokens) : nil,
                   cachedInputTokens: Int(raw.cached_input_tokens),
                   category: has(Int32(RP_REC_CATEGORY)) ? keep(raw.category) : nil,
                   routerModel: has(Int32(RP_REC_ROUTER_MODEL)) ? keep(raw.router_model) : nil,
                   routerConfidence: has(Int32(RP_REC_ROUTER_CONFIDENCE)) ? raw.router_confidence : nil,
                   servedBy: has(Int32(RP_REC_SERVED_BY)) ? keep(raw.served_by) : nil,
                   propensity: has(Int32(RP_REC_PROPENSITY)) ? raw.propensity : nil)
    }

    /// Records of a whole-file format as a chunk of canonical JSON lines, each remembering the
    /// line of the file where its request starts.
    private static func canonicalLines(_ records: [Record], catalog: ModelCatalog, path: String) -> LogChunk {
        var bytes: [UInt8] = []
        for record in records {
            bytes.append(contentsOf: CanonicalJSON.line(record, catalog: catalog).utf8)
            bytes.append(10)
        }
        let length = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: Int(rp_padding())))
        return LogChunk(file: path, firstLine: 1, content: .jsonLines(bytes: bytes, length: length),
                        origins: records.map { (path, $0.line) })
    }

    /// The rules every record obeys (`RecordRules`), checked on a parsed line as the replay checks
    /// it, model names included (ingest has no catalog to look them up in); `record` is a buffer
    /// kept from line to line. When every name is printable ASCII (`plainNames`), none is made a
    /// `String` to be checked; a record with any other name has each checked as text, in the
    /// rules' order (docs/performance.md).
    private static func checkRules(_ raw: rp_record, record: inout Record) throws(FieldProblem) {
        let plain = plainNames(raw)
        if plain {
            JSONRecordDecoder.request(raw, into: &record, id: { _ in "" }, category: { _ in "" }, servedBy: { _ in "" })
        } else {
            JSONRecordDecoder.request(raw, into: &record)
        }
        try RecordRules.checkRequest(record, namesChecked: plain)
        if !plain, raw.present & UInt32(RP_REC_ROUTER_MODEL) != 0 {
            try RecordRules.name(JSONRecordDecoder.string(raw.router_model), "router.model")
        }
        let outputTokens = record.outputTokens
        func checkOutcomes(_ outcomes: UnsafePointer<rp_outcome>?, _ range: Range<Int>, outputTokens: Int?, prefix: String) throws(FieldProblem) {
            for position in range {
                let model = outcomes![position].model
                // The field is named only for a name refused (`RecordRules.name`): made for every
                // outcome, it was 3% of the ingest's time (docs/performance.md).
                if !plain { try RecordRules.name(JSONRecordDecoder.string(model), String(prefix.dropLast())) }
                do throws(FieldProblem) {
                    try RecordRules.check(JSONRecordDecoder.outcome(outcomes![position]), recordOutputTokens: outputTokens)
                } catch {
                    throw FieldProblem(field: "\(prefix)\(JSONRecordDecoder.string(model)).\(error.field)", reason: error.reason)
                }
            }
        }
        try checkOutcomes(raw.outcomes, 0..<raw.outcome_count, outputTokens: outputTokens, prefix: "outcomes.")
        guard raw.step_count > 0 else { return }
        let steps = (0..<raw.step_count).map { Step(name: JSONRecordDecoder.string(raw.steps[$0].name), after: [], inputTokens: 0, outcomes: []) }
        for position in 0..<raw.step_count where raw.steps[position].present & UInt32(RP_STEP_AFTER) != 0 {
            let rawStep = raw.steps[position]
            _ = try Step.dependencies((0..<rawStep.after_count).map { JSONRecordDecoder.string(raw.after[rawStep.after_begin + $0]) },
                                      of: position, in: steps)
        }
        for position in 0..<raw.step_count {
            let rawStep = raw.steps[position]
            let step = Step(name: steps[position].name, after: [], inputTokens: Int(rawStep.input_tokens),
                            outputTokens: rawStep.present & UInt32(RP_STEP_OUTPUT_TOKENS) != 0 ? Int(rawStep.output_tokens) : nil,
                            cachedInputTokens: Int(rawStep.cached_input_tokens), outcomes: [])
            do throws(FieldProblem) {
                try RecordRules.check(step, nameChecked: plain)
            } catch {
                throw FieldProblem(field: "steps[\(position)].\(error.field)", reason: error.reason)
            }
            try checkOutcomes(raw.step_outcomes, rawStep.outcome_begin..<(rawStep.outcome_begin + rawStep.outcome_count),
                              outputTokens: step.outputTokens, prefix: "steps[\(position)].outcomes.")
        }
    }

    /// Whether every name of the record (category, `served_by`, router model, the outcomes' models,
    /// the steps' names and their outcomes' models) is a name at a glance (`YAMLNode.isPlainName`).
    private static func plainNames(_ raw: rp_record) -> Bool {
        func plain(_ text: rp_str) -> Bool { YAMLNode.isPlainName(UnsafeRawBufferPointer(start: text.ptr, count: text.len)) }
        func given(_ flag: Int32) -> Bool { raw.present & UInt32(flag) != 0 }
        if given(Int32(RP_REC_CATEGORY)), !plain(raw.category) { return false }
        if given(Int32(RP_REC_SERVED_BY)), !plain(raw.served_by) { return false }
        if given(Int32(RP_REC_ROUTER_MODEL)), !plain(raw.router_model) { return false }
        for position in 0..<raw.outcome_count where !plain(raw.outcomes[position].model) { return false }
        for position in 0..<raw.step_count {
            let step = raw.steps[position]
            if !plain(step.name) { return false }
            for outcome in step.outcome_begin..<(step.outcome_begin + step.outcome_count) where !plain(raw.step_outcomes[outcome].model) {
                return false
            }
        }
        return true
    }
}

import RouteSimModel
import RouteSimStatistics
import CRecordParser

/// Turns one canonical JSONL line into a `Record`, through simdjson (C++ shim `CRecordParser`),
/// and checks it against the rules every record obeys (`RecordRules`). One decoder per thread;
/// it reuses its parser and buffers from line to line.
package final class JSONRecordDecoder {
    private let parser: OpaquePointer
    /// The features kept, by name and as the `String` the record holds.
    private let featureNames: NameTable
    private let featureKeys: [String]
    private let catalog: ModelCatalog
    @exclusivity(unchecked) private var raw = rp_record()

    /// `featureKeys` are the feature names the policies test; other features are not kept.
    package init(catalog: ModelCatalog, featureKeys: Set<String>) {
        let parser = rp_parser_create()!
        self.parser = parser
        // The parser matches the catalog's names as it reads them; aliases are left to `modelIndex`.
        let names = catalog.models.map { Array($0.name.utf8) }
        Array(names.joined()).withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            let views = names.map { name -> rp_str in
                defer { offset += name.count }
                return rp_str(ptr: UnsafeRawPointer(base + offset).assumingMemoryBound(to: CChar.self), len: name.count)
            }
            rp_parser_set_models(parser, views, views.count)
        }
        self.featureKeys = featureKeys.sorted()
        featureNames = NameTable(self.featureKeys)
        self.catalog = catalog
    }

    deinit { rp_parser_destroy(parser) }

    /// Decodes `line` (which must have `capacity` readable bytes) into `record`, reusing its storage.
    package func decode(_ line: UnsafeRawBufferPointer, capacity: Int, into record: inout Record) throws(FieldProblem) {
        let base = line.baseAddress!.assumingMemoryBound(to: CChar.self)
        guard rp_parse(parser, base, line.count, capacity, &raw) == 0 else {
            throw FieldProblem(field: String(cString: rp_error_field(parser)), reason: String(cString: rp_error_message(parser)))
        }
        // Categories and `served_by` names repeat: each is made a `String` once, and checked once.
        var namesChecked = true
        Self.request(raw, into: &record, category: { Self.known($0, categories, &categoryStrings, checked: &namesChecked).name },
                     servedBy: { Self.known($0, servedBy, &servedByStrings, checked: &namesChecked).name })
        record.routerModel = nil
        if raw.present & UInt32(RP_REC_ROUTER_MODEL) != 0 {
            guard let model = raw.router_model_index >= 0 ? Int(raw.router_model_index) : modelIndex(raw.router_model) else {
                throw unknownModel(raw.router_model, field: "router.model", nameField: "router.model")
            }
            record.routerModel = model
        }
        for index in record.mocked.indices { record.mocked[index] = false }
        // Written in place through the buffer: each store into the array checked it for sharing.
        try record.outcomes.withUnsafeMutableBufferPointer { (outcomes) throws(FieldProblem) in
            for index in outcomes.indices { outcomes[index] = nil }
            for position in 0..<raw.outcome_count {
                let outcome = raw.outcomes[position]
                guard let model = outcome.model_index >= 0 ? Int(outcome.model_index) : modelIndex(outcome.model) else {
                    throw unknownModel(outcome.model, field: "outcomes.\(Self.string(outcome.model))", nameField: "outcomes")
                }
                outcomes[model] = Self.outcome(outcome)
            }
        }
        try decodeSteps(into: &record, namesChecked: &namesChecked)
        if !record.features.isEmpty { record.features.removeAll(keepingCapacity: true) }
        if !featureKeys.isEmpty {
            for position in 0..<raw.feature_count {
                let feature = raw.features[position]
                let bytes = UnsafeRawBufferPointer(start: feature.key.ptr, count: feature.key.len)
                guard let found = featureNames.index(of: bytes) else { continue }
                let key = featureKeys[found]
                switch Int(feature.kind) {
                case RP_FEATURE_NUMBER: record.features[key] = .number(feature.number)
                case RP_FEATURE_BOOL: record.features[key] = .bool(feature.number != 0)
                default: record.features[key] = .string(Self.string(feature.string))
                }
            }
        }
        try RecordRules.check(record, catalog: catalog, namesChecked: namesChecked)
    }

    /// Step names, categories and `served_by` names seen so far, so that a name read again is
    /// the same `String`, not a new one; `…Strings[i]` is the `String` of the table's name i.
    private let stepNames = NameTable(), categories = NameTable(), servedBy = NameTable()
    @exclusivity(unchecked) private var stepNameStrings: [String] = [], categoryStrings: [String] = [], servedByStrings: [String] = []
    /// `stepNameIsASCII[i]`: step name i is ASCII. `stepKeys[p]`: the table's number for the name
    /// of the record's step p, or −1 for a name it does not keep.
    @exclusivity(unchecked) private var stepNameIsASCII: [Bool] = [], stepKeys: [Int] = []

    /// The record's steps, reusing the storage of the previous record's (docs/log-formats.md, "Steps").
    private func decodeSteps(into record: inout Record, namesChecked: inout Bool) throws(FieldProblem) {
        let count = raw.step_count
        if record.steps.count > count { record.steps.removeLast(record.steps.count - count) }
        for position in 0..<count {
            let step = raw.steps[position]
            if position == record.steps.count {
                record.steps.append(Step(name: "", after: [], inputTokens: 0, outcomes: Array(repeating: nil, count: catalog.count)))
            }
            let (name, key) = Self.known(step.name, stepNames, &stepNameStrings, checked: &namesChecked)
            if let key, key == stepNameIsASCII.count { stepNameIsASCII.append(name.utf8.allSatisfy { $0 < 0x80 }) }
            if position == stepKeys.count { stepKeys.append(-1) }
            stepKeys[position] = key ?? -1
            record.steps[position].name = name
            record.steps[position].inputTokens = Int(step.input_tokens)
            record.steps[position].outputTokens = step.present & UInt32(RP_STEP_OUTPUT_TOKENS) != 0 ? Int(step.output_tokens) : nil
            record.steps[position].cachedInputTokens = Int(step.cached_input_tokens)
            var round = 1
            for earlier in 0..<position where sameName(earlier, position, record) { round += 1 }
            record.steps[position].round = round
            for index in 0..<catalog.count {
                record.steps[position].outcomes[index] = nil
                record.steps[position].mocked[index] = false
            }
            for offset in 0..<step.outcome_count {
                let outcome = raw.step_outcomes[step.outcome_begin + offset]
                guard let model = outcome.model_index >= 0 ? Int(outcome.model_index) : modelIndex(outcome.model) else {
                    throw unknownModel(outcome.model, field: "steps[\(position)].outcomes.\(Self.string(outcome.model))",
                                       nameField: "steps[\(position)].outcomes")
                }
                record.steps[position].outcomes[model] = Self.outcome(outcome)
            }
            record.steps[position].after.removeAll(keepingCapacity: true)
            if step.present & UInt32(RP_STEP_AFTER) == 0 {
                if position > 0 { record.steps[position].after.append(position - 1) }
                continue
            }
            for offset in 0..<step.after_count {
                let wanted = UnsafeRawBufferPointer(start: raw.after[step.after_begin + offset].ptr, count: raw.after[step.after_begin + offset].len)
                let found = (0..<position).last { earlier in Self.named(record.steps[earlier].name, wanted) }
                guard let found else {
                    let names = (0..<step.after_count).map { Self.string(raw.after[step.after_begin + $0]) }
                    let steps = (0..<count).map { index in
                        Step(name: Self.string(raw.steps[index].name), after: [], inputTokens: 0, outcomes: [])
                    }
                    _ = try Step.dependencies(names, of: position, in: steps)
                    continue
                }
                if !record.steps[position].after.contains(found) { record.steps[position].after.append(found) }
            }
        }
    }

    /// Whether steps `earlier` and `position` have one name, as `==` on their names says, sooner:
    /// names the table keeps are the same when their numbers are (the same bytes), and two ASCII
    /// ones are not when their numbers differ (an ASCII text is equal to no other than itself);
    /// only a name with other characters, or one not kept, is compared as text.
    @inline(__always)
    private func sameName(_ earlier: Int, _ position: Int, _ record: Record) -> Bool {
        let (one, other) = (stepKeys[earlier], stepKeys[position])
        if one >= 0, other >= 0, one == other || (stepNameIsASCII[one] && stepNameIsASCII[other]) { return one == other }
        return record.steps[earlier].name == record.steps[position].name
    }

    /// Whether `name`'s UTF-8 bytes are `bytes` (compared at once, not a byte at a time).
    private static func named(_ name: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        name.utf8.count == bytes.count
            && (name.utf8.withContiguousStorageIfAvailable { UnsafeRawBufferPointer($0).sameBytes(as: bytes) } ?? name.utf8.elementsEqual(bytes))
    }

    /// `text` as a `String`: the one made when `names` first met it, and its number in the table
    /// (nil for a name not kept). Only a name that passes the record rules' name check is kept (up
    /// to 256), so a kept one needs no check again; `checked` is cleared for any other, which
    /// `RecordRules` then checks in its order.
    private static func known(_ text: rp_str, _ names: NameTable, _ strings: inout [String], checked: inout Bool) -> (name: String, key: Int?) {
        let bytes = UnsafeRawBufferPointer(start: text.ptr, count: text.len)
        if let known = names.index(of: bytes) { return (strings[known], known) }
        let name = string(text)
        if names.count < 256, YAMLNode.nameProblem(name) == nil {
            names.append(bytes)
            strings.append(name)
            return (name, names.count - 1)
        }
        checked = false
        return (name, nil)
    }

    /// The request's own fields as the parser read them (not its outcomes, features or router
    /// model), its id, category and `served_by` made `String`s by the functions given.
    @inline(__always)
    package static func request(_ raw: rp_record, into record: inout Record, id: (rp_str) -> String = string,
                                category: (rp_str) -> String = string, servedBy: (rp_str) -> String = string) {
        record.id = id(raw.id)
        record.timestamp = raw.ts
        record.inputTokens = Int(raw.input_tokens)
        record.cachedInputTokens = Int(raw.cached_input_tokens)
        record.cacheWriteInputTokens = Int(raw.cache_write_input_tokens)
        record.outputTokens = raw.present & UInt32(RP_REC_OUTPUT_TOKENS) != 0 ? Int(raw.output_tokens) : nil
        record.category = raw.present & UInt32(RP_REC_CATEGORY) != 0 ? category(raw.category) : nil
        record.servedBy = raw.present & UInt32(RP_REC_SERVED_BY) != 0 ? servedBy(raw.served_by) : nil
        record.propensity = raw.present & UInt32(RP_REC_PROPENSITY) != 0 ? raw.propensity : nil
        record.routerConfidence = raw.present & UInt32(RP_REC_ROUTER_CONFIDENCE) != 0 ? raw.router_confidence : nil
    }

    /// The outcome as the parser read it.
    @inline(__always)
    package static func outcome(_ raw: rp_outcome) -> Outcome {
        func value(_ flag: Int, _ number: Double) -> Double? { raw.present & UInt32(flag) != 0 ? number : nil }
        var outcome = Outcome(success: raw.success != 0,
                              quality: value(RP_HAS_QUALITY, raw.quality),
                              latencyMs: value(RP_HAS_LATENCY, raw.latency_ms),
                              outputTokens: value(RP_HAS_OUTPUT_TOKENS, raw.output_tokens).map { Int($0) },
                              costUSD: value(RP_HAS_COST, raw.cost_usd),
                              confidence: value(RP_HAS_CONFIDENCE, raw.confidence))
        outcome.reasoningTokens = value(RP_HAS_REASONING_TOKENS, raw.reasoning_tokens).map { Int($0) }
        if raw.present & UInt32(RP_HAS_INPUT_TOKENS) != 0 {
            outcome.input = InputCounts(tokens: Int(raw.input_tokens), cached: Int(raw.cached_input_tokens), cacheWrite: Int(raw.cache_write_input_tokens))
        }
        return outcome
    }

    /// Log names matched other than exactly (by alias or normalising), remembered per decoder.
    private let matchedNames = NameTable()
    /// `matchedIndices[i]`: the catalog model `matchedNames`' name i matched.
    @exclusivity(unchecked) private var matchedIndices: [Int] = []

    /// The catalog model a log name the parser did not match exactly means (an alias, a provider
    /// prefix, a version suffix), or nil.
    private func modelIndex(_ name: rp_str) -> Int? {
        let view = UnsafeRawBufferPointer(start: name.ptr, count: name.len)
        if let known = matchedNames.index(of: view) { return matchedIndices[known] }
        guard let index = catalog.index(matching: Self.string(name)) else { return nil }
        if matchedNames.count < 256 {
            matchedNames.append(view)
            matchedIndices.append(index)
        }
        return index
    }

    /// Why a model name is refused: unprintable (`nameField` names where it was), or not in the catalog.
    private func unknownModel(_ name: rp_str, field: String, nameField: String) -> FieldProblem {
        let text = Self.string(name)
        do throws(FieldProblem) {
            try RecordRules.name(text, nameField)
        } catch {
            return error
        }
        return FieldProblem(field: field, reason: catalog.noMatchReason(text))
    }

    package static func string(_ text: rp_str) -> String {
        String(decoding: UnsafeRawBufferPointer(start: text.ptr, count: text.len), as: UTF8.self)
    }
}

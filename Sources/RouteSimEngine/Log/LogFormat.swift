import RouteSimModel
import RouteSimStatistics
import Foundation

/// The log formats routesim reads, chosen by file name.
public enum LogFormat: String, Sendable, CaseIterable {
    /// Canonical JSONL (docs/log-formats.md), `.jsonl`, `.ndjson`, `.json`, optionally `.gz`.
    case canonical
    /// Long-form CSV (docs/log-formats.md), `.csv`, optionally `.gz`.
    case csv
    /// RouterBench's wide outcome table (`.csv` with `<model>|total_cost` columns).
    case routerbench
    /// OpenTelemetry GenAI spans, OTLP JSON (`resourceSpans`).
    case otelGenAI = "otel-genai"
    /// LiteLLM StandardLoggingPayload JSON lines (`response_cost`, `call_type`).
    case litellm
    /// OpenAI Batch API output JSONL (`custom_id`, `response`), and vLLM's batch output.
    case openAIBatch = "openai-batch"
    /// Langfuse observations, JSON lines (`traceId`, `type`, `usageDetails`).
    case langfuse
    /// Helicone's request export, CSV or JSON lines (`response_status`, `request_created_at`).
    case helicone

    public static func detect(path: String) throws -> LogFormat {
        try InputFile.checkIsFile(path)
        var status = stat()
        if stat(path, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
            throw RouteSimError.usage("\(path) is not a regular file (a pipe or a device?): give --format (canonical, csv, …) so that routesim need not read it twice to tell its format")
        }
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") {
            let header = try firstLine(of: path)
            if RouterBenchReader.recognises(header: header) { return .routerbench }
            if HeliconeFormat.recognises(header: header) { return .helicone }
            return LiteLLMSpendLogs.recognises(header: header) ? .litellm : .csv
        }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json") {
            let first = try firstLine(of: path)
            if first.contains("\"resourceSpans\"") { return .otelGenAI }
            if first.contains("\"custom_id\"") && first.contains("\"response\"") { return .openAIBatch }
            if first.contains("\"response_cost\"") || first.contains("\"call_type\"") { return .litellm }
            if first.contains("\"request_id\"") && first.contains("\"spend\"") { return .litellm }
            if first.contains("\"traceId\"") && first.contains("\"usageDetails\"") { return .langfuse }
            if first.contains("\"response_status\"") && first.contains("\"request_created_at\"") { return .helicone }
            return .canonical
        }
        let formats = LogFormat.allCases.map(\.rawValue).joined(separator: ", ")
        throw RouteSimError.usage("cannot tell the format of \(path) from its name (.jsonl, .ndjson, .json or .csv, optionally .gz): give --format, one of \(formats); for routesim's own JSON lines that is --format canonical")
    }

    /// A whole-file format (long CSV, RouterBench, foreign logs) read into records, each checked
    /// against the rules every record obeys (`RecordRules`); nil for canonical JSONL.
    package static func table(path: String, catalog: ModelCatalog, format: LogFormat? = nil) throws -> LogChunk? {
        var chunk: LogChunk
        switch try format ?? detect(path: path) {
        case .canonical: return nil
        case .csv: chunk = try CSVLogReader.read(path: path, catalog: catalog)
        case .routerbench: chunk = try RouterBenchReader.read(path: path, catalog: catalog)
        case let other:
            let read = try items(path: path, format: other)
            chunk = ForeignLog.join(read, path: path, catalog: catalog, converter: converter(other)!,
                                    calls: other == .openAIBatch ? .alternatives : .timeline)
            if let links = other == .otelGenAI ? SpanTree.otel : other == .langfuse ? SpanTree.langfuse : nil {
                chunk.findings += SpanTree.findings(read, path: path, links: links)
            }
        }
        guard case let .records(records, raw, problems) = chunk.content else { return chunk }
        var kept: [Record] = [], keptRaw: [String] = [], found = problems
        for (record, text) in zip(records, raw) {
            do throws(FieldProblem) {
                try RecordRules.check(record, catalog: catalog)
                kept.append(record)
                keptRaw.append(text)
            } catch {
                found.append(RecordProblem(file: path, line: record.line, field: error.field, reason: error.reason, raw: text))
            }
        }
        // Problems stay in line order, as the replay reports them.
        let ordered = found.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        var checked = LogChunk(file: chunk.file, firstLine: chunk.firstLine, content: .records(kept, raw: keptRaw, problems: ordered))
        checked.notes = chunk.notes
        checked.findings = chunk.findings
        return checked
    }

    /// The input items of a JSON-based format (LiteLLM's CSV export is read row by row into the same shape).
    package static func items(path: String, format: LogFormat) throws -> [ForeignLog.Item] {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if format == .litellm && name.hasSuffix(".csv") { return try LiteLLMSpendLogs.items(path: path) }
        if format == .helicone && name.hasSuffix(".csv") { return try ForeignLog.csvItems(path: path) }
        return try ForeignLog.lines(path: path, arrays: format == .litellm)
    }

    /// Every model a file of a whole-file format names, as an unpriced catalog: what `ingest`
    /// reads such a file with, having no catalog of its own.
    package static func modelsNamed(path: String, format: LogFormat) throws -> ModelCatalog {
        switch format {
        case .canonical: return ModelCatalog(models: [], file: path)
        case .csv: return try CSVLogReader.modelsNamed(in: path)
        case .routerbench: return try RouterBenchReader.modelsNamed(in: path)
        case let other: return ForeignLog.modelsNamed(try items(path: path, format: other), file: path, converter: converter(other)!)
        }
    }

    /// The converter of a JSON-based format; nil for the others.
    package static func converter(_ format: LogFormat) -> ForeignLog.Converter? {
        switch format {
        case .otelGenAI: return OTelGenAIFormat.observations
        case .litellm: return LiteLLMFormat.observations
        case .openAIBatch: return OpenAIBatchFormat.observations
        case .langfuse: return LangfuseFormat.observations
        case .helicone: return HeliconeFormat.observations
        case .canonical, .csv, .routerbench: return nil
        }
    }

    /// The first line of a (possibly gzipped) text file.
    /// The first line, or — when it opens a record spread over several lines (a pretty-printed
    /// document starts with a bare `{`) — the first 64 KiB, so that the format's keys are seen.
    private static func firstLine(of path: String) throws -> String {
        guard let chunk = try ChunkedFileReader(path: path, chunkSize: 1 << 16).next(),
              case let .jsonLines(bytes, length) = chunk.content else { return "" }
        let line = String(decoding: bytes[..<length].prefix { $0 != 10 }, as: UTF8.self)
        guard ["{", "["].contains(line.trimmingCharacters(in: .whitespaces)) else { return line }
        return String(decoding: bytes[..<min(length, 1 << 16)], as: UTF8.self)
    }
}

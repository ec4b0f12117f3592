import RouteSimModel
import RouteSimStatistics

/// Reads a log record by record on one thread, for jobs that need every record but not speed
/// (calibration, off-policy estimates). The first invalid record stops the scan with file and line.
package enum LogScan {
    /// Every record of every source of `inputs`, in order.
    package static func forEachRecord(_ inputs: ReplayInputs, catalog: ModelCatalog, _ body: (_ record: Record, _ file: String) throws -> Void) throws {
        for source in try inputs.sources() { try forEachRecord(source, format: inputs.format, catalog: catalog, body) }
    }

    package static func forEachRecord(_ source: Replay.Source, format: LogFormat?, catalog: ModelCatalog,
                                      _ body: (_ record: Record, _ file: String) throws -> Void) throws {
        let decoder = JSONRecordDecoder(catalog: catalog, featureKeys: [])
        var record = Record(id: "", inputTokens: 0, outcomes: Array(repeating: nil, count: catalog.count))
        let log = try LogSource.open(source, format: format, catalog: catalog)
        while let chunk = try log.next() {
            switch chunk.content {
            case let .records(records, _, problems):
                if let problem = problems.first { throw problem.error }
                for record in records { try body(record, chunk.file) }
            case let .jsonLines(bytes, length):
                try bytes.withUnsafeBytes { buffer in
                    try LogChunk.forEachLine(in: buffer, length: length, firstLine: chunk.firstLine) { text, line, start in
                        // A store's lines name the file and line they were ingested from.
                        let origin = chunk.origins?[line - chunk.firstLine]
                        let file = origin?.file ?? chunk.file
                        record.line = origin?.line ?? line
                        do throws(FieldProblem) {
                            try decoder.decode(text, capacity: buffer.count - start, into: &record)
                        } catch {
                            throw RouteSimError.invalidInput(file: file, line: record.line, field: error.field, reason: error.reason)
                        }
                        try body(record, file)
                    }
                }
            }
        }
    }
}

import RouteSimModel
import RouteSimStatistics

/// Reads a log record by record on one thread, for jobs that need every record but not speed
/// (calibration, off-policy estimates). The first invalid record stops the scan with file and line.
package enum LogScan {
    package static func forEachRecord(_ path: String, catalog: ModelCatalog, _ body: (Record) throws -> Void) throws {
        let decoder = JSONRecordDecoder(catalog: catalog, featureKeys: [])
        var record = Record(id: "", inputTokens: 0, outcomes: Array(repeating: nil, count: catalog.count))
        let log = try LogSource.open(.file(path), format: nil, catalog: catalog)
        while let chunk = try log.next() {
            switch chunk.content {
            case let .records(records, _, problems):
                if let problem = problems.first { throw problem.error }
                for record in records { try body(record) }
            case let .jsonLines(bytes, length):
                try bytes.withUnsafeBytes { buffer in
                    try LogChunk.forEachLine(in: buffer, length: length, firstLine: chunk.firstLine) { text, line, start in
                        record.line = line
                        do throws(FieldProblem) {
                            try decoder.decode(text, capacity: buffer.count - start, into: &record)
                        } catch {
                            throw RouteSimError.invalidInput(file: path, line: line, field: error.field, reason: error.reason)
                        }
                        try body(record)
                    }
                }
            }
        }
    }
}

import RouteSimModel
import RouteSimStatistics
/// Reads a log record by record on one thread, for jobs that need every record but not speed
/// (calibration, off-policy estimates). The first invalid record stops the scan with file and line.
package enum LogScan {
    package static func forEachRecord(_ path: String, catalog: ModelCatalog, _ body: (Record) throws -> Void) throws {
        let decoder = JSONRecordDecoder(catalog: catalog, featureKeys: [])
        var record = Record(id: "", inputTokens: 0, outcomes: Array(repeating: nil, count: catalog.count))
        if let table = try LogFormat.table(path: path, catalog: catalog) {
            guard case let .records(records, _, problems) = table.content else { return }
            if let problem = problems.first { throw problem.error }
            for record in records { try body(record) }
            return
        }
        let reader = try ChunkedFileReader(path: path, jsonLines: true)
        while let chunk = try reader.next() {
            guard case let .jsonLines(bytes, length) = chunk.content else { continue }
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

import RouteSimModel
import RouteSimStatistics
import Foundation

/// Reads a RouterBench outcome table (wide CSV): one row per prompt, a quality column per model,
/// `<model>|total_cost`, `eval_name`, `oracle_model_to_route_to`. A request's category is its
/// `eval_name`; success is quality ≥ 0.5 (the slices are 0/1 correctness); cost is the recorded
/// total; RouterBench records no tokens, latency or time, so input tokens are 0, latency is
/// unavailable, and every request gets the same timestamp (2024-01-01T00:00:00Z).
package enum RouterBenchReader {
    package static let timestamp = 1_704_067_200.0

    package static func read(path: String, catalog: ModelCatalog) throws -> LogChunk {
        let bytes = try CSVLogReader.readAll(path)
        var table = CSVTable(bytes: bytes, file: path)
        guard let header = try table.next() else {
            throw RouteSimError.invalidInput(file: path, line: 1, field: "", reason: "the file is empty; a RouterBench table needs a header row")
        }
        let names = (0..<header.count).map { String(decoding: table.field($0, of: header), as: UTF8.self) }
        func column(_ name: String) throws -> Int {
            guard let index = names.firstIndex(of: name) else {
                throw RouteSimError.invalidInput(file: path, line: 1, field: name, reason: "the header lacks this RouterBench column")
            }
            return index
        }
        let id = try column("sample_id"), category = try column("eval_name")
        let models = names.filter { names.contains("\($0)|total_cost") }
        guard !models.isEmpty else {
            throw RouteSimError.invalidInput(file: path, line: 1, field: "", reason: "no model columns (a model column needs a MODEL|total_cost column beside it)")
        }
        var columns: [(model: Int, quality: Int, cost: Int)] = []
        for name in models {
            guard let model = catalog.index(matching: name) else {
                throw RouteSimError.invalidInput(file: path, line: 1, field: name,
                                                 reason: "model '\(name)' is not in the catalog \(catalog.file) (datasets/routerbench-models.yaml lists RouterBench's)")
            }
            columns.append((model, try column(name), try column("\(name)|total_cost")))
        }
        var records: [Record] = [], raw: [String] = [], problems: [RecordProblem] = []
        while let row = try table.next() {
            let text = String(decoding: table.bytes[row.start..<row.end], as: UTF8.self)
            func field(_ index: Int) -> String { index < row.count ? String(decoding: table.field(index, of: row), as: UTF8.self) : "" }
            func problem(_ name: String, _ reason: String) { problems.append(RecordProblem(file: path, line: row.line, field: name, reason: reason, raw: text)) }
            guard row.count == names.count else {
                problem("", "has \(row.count) fields, the header has \(names.count)")
                continue
            }
            let sample = field(id)
            guard !sample.isEmpty else {
                problem("sample_id", "is empty")
                continue
            }
            var outcomes = [Outcome?](repeating: nil, count: catalog.count)
            var bad: (String, String)?
            for (index, (model, qualityColumn, costColumn)) in columns.enumerated() where bad == nil {
                let name = models[index]
                // Ranges are rules of every record (`RecordRules`), checked when the file is read.
                guard let quality = DecimalText.double(field(qualityColumn)) else {
                    bad = (name, field(qualityColumn).isEmpty ? "the quality score is missing" : "must be a quality score between 0 and 1, got '\(field(qualityColumn))'")
                    continue
                }
                guard let cost = DecimalText.double(field(costColumn)) else {
                    bad = ("\(name)|total_cost", field(costColumn).isEmpty ? "the cost is missing" : "must be a cost >= 0, got '\(field(costColumn))'")
                    continue
                }
                outcomes[model] = Outcome(success: quality >= 0.5, quality: quality, costUSD: cost)
            }
            if let (name, reason) = bad {
                problem(name, reason)
                continue
            }
            let categoryName = field(category)
            records.append(Record(id: sample, line: row.line, timestamp: timestamp, inputTokens: 0,
                                  category: categoryName.isEmpty ? nil : categoryName, outcomes: outcomes))
            raw.append(text)
        }
        return LogChunk(file: path, firstLine: 2, content: .records(records, raw: raw, problems: problems))
    }

    /// Every model the table has columns for, as an unpriced catalog (what ingest needs without one).
    package static func modelsNamed(in path: String) throws -> ModelCatalog {
        var table = CSVTable(bytes: try CSVLogReader.readAll(path), file: path)
        guard let header = try table.next() else { return ModelCatalog(models: [], file: path) }
        let names = (0..<header.count).map { String(decoding: table.field($0, of: header), as: UTF8.self) }
        return ModelCatalog(models: names.filter { names.contains("\($0)|total_cost") }.map { ModelSpec(name: $0, tier: 0) }, file: path)
    }

    /// Whether a CSV header is RouterBench's (it has `<model>|total_cost` columns).
    package static func recognises(header: String) -> Bool {
        header.contains("|total_cost") && header.contains("sample_id")
    }
}

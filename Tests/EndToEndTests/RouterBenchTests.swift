import Foundation
import Testing

/// The RouterBench slices the CI machine provides beside the checkout (not copied here): simulate with the oracle and each single model must
/// reproduce what Python's csv module computes from the table directly (rows with a missing value
/// and repeated sample ids excluded, as routesim rejects them).
@Suite("RouterBench tables")
struct RouterBenchTests {
    /// The RouterBench slices: real data the project may read but not copy, which the test
    /// machines keep in the shared datasets folder beside the checkout.
    static let slices = URL(fileURLWithPath: RouteSimBinary.root).deletingLastPathComponent()
        .appendingPathComponent("shared").appendingPathComponent("datasets").appendingPathComponent("routerbench").path

    static let reference = """
        import csv, json, sys
        csv.field_size_limit(10**9)
        rows = list(csv.reader(open(sys.argv[1], newline='')))
        header, seen, kept = rows[0], set(), []
        models = [c for c in header if c + '|total_cost' in header]
        for row in rows[1:]:
            values = {m: (row[header.index(m)], row[header.index(m + '|total_cost')]) for m in models}
            if any(q == '' or c == '' for q, c in values.values()): continue
            if row[header.index('sample_id')] in seen: continue
            seen.add(row[header.index('sample_id')])
            kept.append({m: (float(q), float(c)) for m, (q, c) in values.items()})
        out = {m: {'success': sum(r[m][0] >= 0.5 for r in kept) / len(kept), 'cpi': sum(r[m][1] for r in kept) / len(kept)} for m in models}
        def oracle(r):
            ok = [c for q, c in r.values() if q >= 0.5]
            return (1, min(ok)) if ok else (0, min(c for q, c in r.values()))
        out['oracle'] = {'success': sum(oracle(r)[0] for r in kept) / len(kept), 'cpi': sum(oracle(r)[1] for r in kept) / len(kept)}
        out['rows'] = len(kept)
        print(json.dumps(out))
        """

    @Test(arguments: ["mbpp_test.csv", "arc_challenge_test.csv"])
    func oracleAndSingleModelsMatchTheTable(slice: String) throws {
        let table = Self.slices + "/" + slice
        try #require(FileManager.default.fileExists(atPath: table), "the RouterBench slices are not beside the checkout at \(Self.slices)")
        let scratch = Scratch()
        scratch.file("reference.py", Self.reference)
        let python = try RouteSimBinary.bash("python3 reference.py \(table)", in: scratch.path)
        let expected = try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as! [String: Any]
        let run = try RouteSimBinary.run(["simulate", "--log", table, "--models", RouteSimBinary.root + "/datasets/routerbench-models.yaml",
                                          "--policy", RouteSimBinary.root + "/datasets/routerbench-policies.yaml",
                                          "--skip-invalid", "--no-charts", "--out", scratch.path + "/out"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/out/summary.json"))) as! [String: Any]
        #expect((summary["input"] as! [String: Any])["accepted"] as? Int == expected["rows"] as? Int)
        for policy in summary["policies"] as! [[String: Any]] {
            let name = policy["name"] as! String
            let key = name == "oracle" ? "oracle" : expected.keys.first { $0.hasSuffix(String(name.dropFirst("only-".count))) && $0 != "rows" }!
            let truth = expected[key] as! [String: Double]
            #expect(abs((policy["success_rate"] as! Double) - truth["success"]!) < 1e-12, "\(slice) \(name) success")
            #expect(abs((policy["cpi_usd"] as! Double) - truth["cpi"]!) < 1e-12, "\(slice) \(name) cost")
        }
    }

    /// Ingested into the store (bad rows skipped), the table replays exactly as from the file.
    @Test func ingestedTablesReplayLikeTheFile() throws {
        let table = Self.slices + "/arc_challenge_test.csv"
        try #require(FileManager.default.fileExists(atPath: table))
        let scratch = Scratch()
        let ingest = try RouteSimBinary.run(["ingest", "--log", table, "--db", "rb.db", "--skip-invalid"], in: scratch.path)
        #expect(ingest.status == 0 && ingest.stdout.contains("445 records read, 437 added, 0 already stored, 8 rejected"), "\(ingest.stdout)\(ingest.stderr)")
        let common = ["--models", RouteSimBinary.root + "/datasets/routerbench-models.yaml", "--policy",
                      RouteSimBinary.root + "/datasets/routerbench-policies.yaml", "--no-charts", "--monthly-volume", "1000"]
        #expect(try RouteSimBinary.run(["simulate", "--db", "rb.db", "--out", "db"] + common, in: scratch.path).status == 0)
        #expect(try RouteSimBinary.run(["simulate", "--log", table, "--skip-invalid", "--out", "file"] + common, in: scratch.path).status == 0)
        #expect(scratch.read("db/summary.json") == scratch.read("file/summary.json").replacingOccurrences(of: #""rejected": 8"#, with: #""rejected": 0"#)
            .replacingOccurrences(of: #""records": 445"#, with: #""records": 437"#))
    }

    @Test func quirksAreReportedAsBadInput() throws {
        let table = Self.slices + "/arc_challenge_test.csv"
        try #require(FileManager.default.fileExists(atPath: table))
        let run = try RouteSimBinary.run(["simulate", "--log", table, "--models", RouteSimBinary.root + "/datasets/routerbench-models.yaml",
                                          "--policy", RouteSimBinary.root + "/datasets/routerbench-policies.yaml", "--no-charts",
                                          "--out", Scratch().path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("arc_challenge_test.csv:356: gpt-3.5-turbo-1106: the quality score is missing"))
    }
}

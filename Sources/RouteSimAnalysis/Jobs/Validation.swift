import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Yams

/// The `validate` job: every problem in a catalog, policy files and logs, not just the first.
public struct Validation {
    /// The catalog, the policy files and the logs or store to check (which may be none).
    public var inputs: ReplayInputs
    /// How far apart a recorded cost and the catalog's price may be before the cost checks flag it.
    public var costTolerance = 0.05

    public init(inputs: ReplayInputs) {
        self.inputs = inputs
    }

    /// What `validate` found: its account of what was checked, every problem, and the cost
    /// checks' findings over the logs (docs/metrics.md, "Cost checks"), in file order.
    public struct Report {
        public var checked: [String]
        public var problems: [RouteSimError]
        public var costFindings: [(kind: CostLint.Kind, finding: RecordProblem)]
    }

    /// A short account of what was checked, and every problem found (empty when all is well).
    public func run() throws -> (checked: [String], problems: [RouteSimError]) {
        let report = try report()
        return (report.checked, report.problems)
    }

    /// The account, the problems and the findings.
    /// A broken catalog does not stop the check: policies are then checked for everything but
    /// their model names, and logs, which need the catalog, are listed as not checked.
    public func report() throws -> Report {
        var found: [(kind: CostLint.Kind, finding: RecordProblem)] = []
        var checked: [String] = []
        var problems: [RouteSimError] = []
        func note(_ error: Error) {
            problems.append(error as? RouteSimError ?? .internalFailure("\(error)"))
        }
        var catalog: ModelCatalog?
        do {
            catalog = try inputs.catalog()
            checked.append("\(inputs.catalogPath): \(catalog!.count) models")
        } catch {
            note(error)
        }
        let (policies, files, policyProblems) = PolicyLoader.loadCollecting(paths: inputs.policyPaths, catalog: catalog ?? Self.anyModel(in: inputs.policyPaths))
        policyProblems.forEach(note)
        for path in inputs.policyPaths {
            let count = files.count { $0 == path }
            checked.append("\(path): \(count) valid policies" + (catalog == nil ? " (model names not checked: the catalog is broken)" : ""))
        }
        guard let catalog else {
            for label in inputs.logs + [inputs.store?.path].compactMap({ $0 }) {
                checked.append("\(label): not checked (logs are read against the catalog, which is broken)")
            }
            return Report(checked: checked, problems: problems, costFindings: found)
        }
        for (label, source) in try sources() {
            var replay = Replay(catalog: catalog, policies: policies)
            replay.skipInvalid = true
            replay.format = inputs.format
            replay.costTolerance = costTolerance
            replay.onCostFinding = { found.append(($0, $1)) }
            do {
                let result = try replay.run(sources: [source()]) { problems.append($0.error) }
                checked.append("\(label): \(result.recordsRead) records, \(result.recordsRead - result.rejected) valid")
            } catch {
                note(error)
            }
        }
        checked += Self.nameMatches(catalog)
        return Report(checked: checked, problems: problems, costFindings: found)
    }

    /// The log model names the catalog matched by alias or normalising, each with its entry, so
    /// that a user sees the mapping before trusting a figure (unmatched names are problems already).
    private static func nameMatches(_ catalog: ModelCatalog) -> [String] {
        catalog.nameLog.entries.compactMap { name, match in
            guard case let .matched(index, rule) = match else { return nil }
            return "log model '\(name)' → catalog entry \(catalog.models[index].name) (\(rule))"
        }
    }

    /// Each input to check, by name, opened only when its turn comes (so that a missing store is
    /// one problem among the others).
    private func sources() throws -> [(String, () throws -> Replay.Source)] {
        if let store = inputs.store { return [(store.path, { .store(try RecordStore(existing: store.path), store.query) })] }
        return inputs.logs.map { path in (path, { .file(path) }) }
    }

    /// A stand-in catalog naming every text value of the policy files, so that a policy's structure
    /// can be checked while the real catalog is broken.
    package static func anyModel(in paths: [String]) -> ModelCatalog {
        var names: [String] = [], visits = 0
        // Aliases can make a small file a huge tree: look at no more than 100,000 nodes.
        func collect(_ node: Node) {
            visits += 1
            guard visits < 100_000 else { return }
            switch node {
            case let .scalar(scalar): if !names.contains(scalar.string) { names.append(scalar.string) }
            case let .mapping(mapping): mapping.forEach { collect($0.value) }
            case let .sequence(sequence): sequence.forEach(collect)
            default: break
            }
        }
        for path in paths {
            for document in (try? YAMLNode.documents(of: TextFile.read(path), file: path)) ?? [] { collect(document.node) }
        }
        return ModelCatalog(models: names.map { ModelSpec(name: $0, tier: 0) }, file: "(no catalog)")
    }
}

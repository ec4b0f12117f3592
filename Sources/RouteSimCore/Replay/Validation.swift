/// The `validate` job: every problem in a catalog, policy files and logs, not just the first.
public struct Validation {
    public var logs: [String] = []
    public var catalogPath: String?
    public var policyPaths: [String] = []
    /// The logs' format, when not detected.
    public var format: LogFormat?

    public init() {}

    /// A short account of what was checked, and every problem found (empty when all is well).
    public func run() throws -> (checked: [String], problems: [RouteSimError]) {
        var checked: [String] = []
        var problems: [RouteSimError] = []
        guard let catalogPath else {
            throw RouteSimError.usage("validate needs --models FILE: logs and policies are checked against the catalog")
        }
        let catalog: ModelCatalog
        do {
            catalog = try ModelCatalog.load(path: catalogPath)
            checked.append("\(catalogPath): \(catalog.count) models")
        } catch let error as RouteSimError {
            return (checked, [error])
        }
        var policies: [Policy] = []
        for path in policyPaths {
            do {
                let loaded = try PolicyLoader.load(paths: [path], catalog: catalog)
                checked.append("\(path): \(loaded.count) policies")
                policies += loaded
            } catch let error as RouteSimError {
                problems.append(error)
            }
        }
        for path in logs {
            var replay = Replay(catalog: catalog, policies: policies)
            replay.skipInvalid = true
            replay.format = format
            do {
                let result = try replay.run(files: [path]) { problems.append($0.error) }
                checked.append("\(path): \(result.recordsRead) records, \(result.recordsRead - result.rejected) valid")
            } catch let error as RouteSimError {
                problems.append(error)
            }
        }
        return (checked, problems)
    }
}

import Foundation

/// The models a run knows, in file order; a model's position is its index everywhere in the replay.
public struct ModelCatalog: Sendable {
    public let models: [ModelSpec]
    public let file: String
    private let indexByName: [String: Int]

    public init(models: [ModelSpec], file: String = "<catalog>") {
        self.models = models
        self.file = file
        self.indexByName = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1.name, $0) })
    }

    public var count: Int { models.count }

    public func index(of name: String) -> Int? { indexByName[name] }

    /// Reads a catalog file (SPEC §2.3).
    public static func load(path: String) throws -> ModelCatalog {
        try parse(TextFile.read(path), file: path)
    }

    static func parse(_ text: String, file: String) throws -> ModelCatalog {
        let root = try YAMLNode.document(of: text, file: file)
        try root.onlyKeys(["models"])
        var models: [ModelSpec] = []
        for (name, entry) in try root.required("models").mapping() {
            try entry.onlyKeys(["tier", "input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "per_call_usd"])
            let spec = ModelSpec(
                name: name,
                tier: try entry.required("tier").int(),
                inputPerMTok: try entry.optional("input_per_mtok")?.nonNegativeDouble(),
                outputPerMTok: try entry.optional("output_per_mtok")?.nonNegativeDouble(),
                cachedInputPerMTok: try entry.optional("cached_input_per_mtok")?.nonNegativeDouble(),
                perCallUSD: try entry.optional("per_call_usd")?.nonNegativeDouble())
            models.append(spec)
        }
        guard !models.isEmpty else {
            throw RouteSimError.invalidInput(file: file, line: root.line, field: "models", reason: "must list at least one model")
        }
        return ModelCatalog(models: models, file: file)
    }
}

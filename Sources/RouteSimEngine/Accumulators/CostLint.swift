import RouteSimModel

/// What makes a cost figure doubtful, counted over a replay (docs/metrics.md, "Cost checks"):
/// each kind's findings, and per model whether every call counted the same tokens. Mergeable:
/// counts add, and a model's counts stay alike only while every part saw one pair.
public struct CostLint: Sendable, Equatable, Codable {
    /// The kinds of finding, in the order `summary.json` lists them.
    public enum Kind: Int, CaseIterable, Sendable {
        /// A call priced from its tokens that read no input, or succeeded with no output.
        case zeroTokenCalls
        /// Every call of a model counted the same input and output tokens (at least `constantMinimum` calls).
        case constantTokenModels
        /// A recorded cost that disagrees with the catalog's price by more than the tolerance.
        case costMismatches
        /// A call of a model the catalog cannot price, priced only by its recorded cost.
        case unpricedCalls
        /// A record refused because a cache or reasoning count exceeds its total.
        case countsOverTotals
        /// A call traced twice, counted once.
        case duplicateSpans
        /// A span or observation whose parent is in none of the log's lines.
        case orphanSpans

        /// The key in `summary.json`'s `input.cost_checks`.
        public var key: String {
            switch self {
            case .zeroTokenCalls: return "zero_token_calls"
            case .constantTokenModels: return "constant_token_models"
            case .costMismatches: return "cost_mismatches"
            case .unpricedCalls: return "unpriced_calls"
            case .countsOverTotals: return "counts_over_totals"
            case .duplicateSpans: return "duplicate_spans"
            case .orphanSpans: return "orphan_spans"
            }
        }
    }

    /// A model is flagged for constant counts only after this many calls.
    public static let constantMinimum = 20

    /// Per model: calls seen, the first call's counts and where it was, and whether any call differed.
    package struct Sameness: Sendable, Equatable, Codable {
        package var calls = 0
        package var input = 0
        package var output = 0
        package var varied = false
        package var file = ""
        package var line = 0

        package mutating func add(input: Int, output: Int, file: @autoclosure () -> String, line: Int) {
            if calls == 0 {
                (self.input, self.output, self.file, self.line) = (input, output, file(), line)
            } else if input != self.input || output != self.output {
                varied = true
            }
            calls += 1
        }

        package mutating func merge(_ other: Sameness) {
            guard other.calls > 0 else { return }
            guard calls > 0 else { return self = other }
            varied = varied || other.varied || other.input != input || other.output != output
            calls += other.calls
        }
    }

    public private(set) var counts = [Int](repeating: 0, count: Kind.allCases.count)
    package var sameness: [Sameness]

    public init(modelCount: Int) {
        sameness = Array(repeating: Sameness(), count: modelCount)
    }

    /// The findings of `kind`. Constant-token models are judged on the whole replay — every
    /// merged part's calls — so a shard's own constant is not one of the log's.
    public subscript(kind: Kind) -> Int {
        kind == .constantTokenModels ? constantIndices.count : counts[kind.rawValue]
    }

    /// The models whose every call (at least `constantMinimum`) counted the same tokens.
    private var constantIndices: [Int] {
        sameness.indices.filter { sameness[$0].calls >= Self.constantMinimum && !sameness[$0].varied }
    }

    package mutating func count(_ kind: Kind, _ times: Int = 1) {
        counts[kind.rawValue] += times
    }

    package mutating func merge(_ other: CostLint) {
        for index in counts.indices { counts[index] += other.counts[index] }
        for index in sameness.indices where index < other.sameness.count { sameness[index].merge(other.sameness[index]) }
    }

    /// The models whose every call counted the same tokens, each as a finding.
    package func constantModels(_ catalog: ModelCatalog) -> [RecordProblem] {
        constantIndices.map { index in
            let model = sameness[index]
            return RecordProblem(file: model.file, line: model.line, field: "outcomes.\(catalog.models[index].name)",
                                 reason: "all \(model.calls) calls of '\(catalog.models[index].name)' count \(model.input) input and \(model.output) output tokens: a placeholder the logger wrote rather than real usage?",
                                 raw: "")
        }
    }
}

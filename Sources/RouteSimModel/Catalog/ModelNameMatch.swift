import Foundation
import Synchronization

/// How a model name read from a log finds its catalog entry (docs/catalog.md, "Names in logs"):
/// the entry's name, one of its `aliases` (exact, or a pattern where `*` stands for any run of
/// characters), or — failing those — the name without a provider prefix (`openai/gpt-4o`,
/// `bedrock/…`, an ARN's last part, a Bedrock region prefix such as `us.`) and without version
/// suffixes (`-2024-08-06`, `-20240620`, `@20240620`, `-0613`, `-v1:0`, `-latest`).
public enum ModelNameMatch: Sendable, Equatable {
    case exact(Int)
    /// Found by an alias or by normalising; `rule` says which, for `validate`.
    case matched(Int, rule: String)
    /// Normalising leads to several entries: the name is refused rather than guessed.
    case ambiguous([Int])
    case none

    /// The name with its provider prefix and version suffixes removed.
    package static func normalised(_ name: String) -> String {
        var text = name
        if let slash = text.lastIndex(of: "/") { text = String(text[text.index(after: slash)...]) }
        if text.hasPrefix("arn:"), let colon = text.lastIndex(of: ":") { text = String(text[text.index(after: colon)...]) }
        // Bedrock's cross-region inference profiles: "us.anthropic.claude-…" → "anthropic.claude-…" → "claude-…".
        for region in ["us.", "eu.", "apac.", "global."] where text.hasPrefix(region) { text.removeFirst(region.count) }
        for vendor in ["anthropic.", "meta.", "amazon.", "cohere.", "mistral.", "ai21."] where text.hasPrefix(vendor) { text.removeFirst(vendor.count) }
        let suffixes = [#"-v\d+(:\d+)?$"#, #"-latest$"#, #"-\d{4}-\d{2}-\d{2}$"#, #"[-@]\d{8}$"#, #"-\d{4}$"#]
        var changed = true
        while changed {
            changed = false
            for suffix in suffixes {
                guard let range = text.range(of: suffix, options: .regularExpression), range.lowerBound > text.startIndex else { continue }
                text.removeSubrange(range)
                changed = true
            }
        }
        return text
    }

    /// Whether `name` matches `pattern`, where `*` stands for any run of characters.
    package static func matches(_ name: String, pattern: String) -> Bool {
        guard pattern.contains("*") else { return name == pattern }
        let escaped = pattern.split(separator: "*", omittingEmptySubsequences: false).map { NSRegularExpression.escapedPattern(for: String($0)) }
        return name.range(of: "^" + escaped.joined(separator: ".*") + "$", options: .regularExpression) != nil
    }
}

/// The log names a catalog matched other than exactly, shared by every reader of a run, for
/// `validate` to list (docs/catalog.md, "Names in logs").
public final class ModelNameLog: Sendable {
    private let seen = Mutex<[String: ModelNameMatch]>([:])

    public init() {}

    package func note(_ name: String, _ match: ModelNameMatch) {
        seen.withLock { $0[name] = match }
    }

    /// Every name matched by alias or normalising, or not at all, by name.
    public var entries: [(name: String, match: ModelNameMatch)] {
        seen.withLock { $0.map { ($0.key, $0.value) } }.sorted { $0.name < $1.name }
    }
}

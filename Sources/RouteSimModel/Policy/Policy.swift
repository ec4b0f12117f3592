/// A named way of answering requests (docs/policies.md), with models resolved to catalog indices.
public struct Policy: Sendable {
    public var name: String
    public var kind: Kind
    /// The policy's own cost per request (a router's classifier, say).
    public var overhead: CallOverhead

    public enum Kind: Sendable {
        case single(model: Int)
        case router(RuleRouter)
        case recordedRouter(RecordedRouter)
        case cascade(Cascade)
        case ensemble(Ensemble)
        case oracle
        /// What production did: every logged call of the request, as it happened (docs/policies.md, "What production did").
        case recorded
        indirect case pipeline(Pipeline)

        /// The `kind:` of the policy file.
        public var name: String {
            switch self {
            case .single: return "single"
            case .router, .recordedRouter: return "router"
            case .cascade: return "cascade"
            case .ensemble: return "ensemble"
            case .oracle: return "oracle"
            case .recorded: return "recorded"
            case .pipeline: return "pipeline"
            }
        }
    }

    public init(name: String, kind: Kind, overhead: CallOverhead = .zero) {
        self.name = name
        self.kind = kind
        self.overhead = overhead
    }
}

/// A fixed cost and latency added per request (overhead) or per acceptance check.
public struct CallOverhead: Equatable, Sendable {
    public var costUSD: Double
    public var latencyMs: Double

    public init(costUSD: Double, latencyMs: Double) {
        self.costUSD = costUSD
        self.latencyMs = latencyMs
    }

    public static let zero = CallOverhead(costUSD: 0, latencyMs: 0)
}

/// A router whose first matching rule picks the model.
public struct RuleRouter: Sendable {
    public var rules: [RoutingRule]
    public var defaultModel: Int
}

/// A rule: all conditions hold → `model`.
public struct RoutingRule: Sendable {
    public var conditions: [Condition]
    public var model: Int
}

/// A router that follows each record's recorded `router.model`, with optional confidence bands.
public struct RecordedRouter: Sendable {
    /// `router.confidence` at least this: use the predicted model.
    public var useAtLeast: Double?
    /// At least this (and below `useAtLeast`): use it and flag the request for review.
    public var reviewAtLeast: Double?
    public var below: BelowAction
    /// The model for records with no router prediction; nil makes them an error.
    public var defaultModel: Int?

    public enum BelowAction: Sendable, Equatable {
        case escalate
        case model(Int)
    }
}

/// Try models in order; accept the first answer that passes its test.
public struct Cascade: Sendable {
    public var steps: [CascadeStep]
    /// Paid at every step but the last.
    public var check: CallOverhead
}

/// One cascade step; `acceptIf` is empty on the last step, which always accepts.
public struct CascadeStep: Sendable {
    public var model: Int
    public var acceptIf: [OutcomeTest]
}

/// A test on a field of an outcome, such as `confidence >= 0.8`; fails when the field is absent.
public struct OutcomeTest: Sendable {
    public enum Field: String, Sendable, CaseIterable {
        case confidence, quality
        case latencyMs = "latency_ms"
        case outputTokens = "output_tokens"
    }

    public var field: Field
    public var comparison: Comparison
}

/// Call every member in parallel and combine their answers.
public struct Ensemble: Sendable {
    public var members: [Int]
    public var combine: Combine

    public enum Combine: String, Sendable {
        case majority
        case bestQuality = "best_quality"
    }
}

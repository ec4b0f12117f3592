/// A policy that routes each step of a request its own way (docs/policies.md, "Pipelines").
public struct Pipeline: Sendable {
    public var stages: [Stage]

    public init(stages: [Stage]) {
        self.stages = stages
    }
}

/// How a pipeline handles one step: the policy kind that routes it, and what its failure means.
public struct Stage: Sendable {
    public var step: String
    public var route: Policy.Kind
    /// Whether the request fails when this step fails.
    public var required: Bool
    /// A failure stops the chain: the steps after it are not run, nor paid for.
    public var stopOnFailure: Bool
    /// The step judges an earlier one, which revises while it rejects.
    public var critic: CriticLoop?
    /// How demanding the policy's author expects the step to be.
    public var complexity: DeclaredComplexity?

    public init(step: String, route: Policy.Kind, required: Bool = true, stopOnFailure: Bool = false,
                critic: CriticLoop? = nil, complexity: DeclaredComplexity? = nil) {
        self.step = step
        self.route = route
        self.required = required
        self.stopOnFailure = stopOnFailure
        self.critic = critic
        self.complexity = complexity
    }
}

/// Generate, critique, revise: while the critic rejects, the step it `revises` runs again and the
/// critic judges again, `maxRounds` rounds at most. Round r uses the r-th step of each name in
/// the log (or the mock's draw when the log has fewer).
public struct CriticLoop: Sendable {
    public var revises: String
    public var maxRounds: Int
    /// Tests on the critic's outcome that mean "accepted"; empty: the critic's `success`.
    public var acceptIf: [OutcomeTest]

    public init(revises: String, maxRounds: Int, acceptIf: [OutcomeTest] = []) {
        self.revises = revises
        self.maxRounds = maxRounds
        self.acceptIf = acceptIf
    }
}

/// A step's expected demands, as declared in a policy file: each low, medium or high.
public struct DeclaredComplexity: Sendable, Equatable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case low = 1, medium, high

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
        public var name: String { ["low", "medium", "high"][rawValue - 1] }
    }

    public var reasoning: Level?
    public var context: Level?
    public var knowledge: Level?

    public init(reasoning: Level? = nil, context: Level? = nil, knowledge: Level? = nil) {
        self.reasoning = reasoning
        self.context = context
        self.knowledge = knowledge
    }

    /// The highest of the three: what the step needs overall.
    public var overall: Level? { [reasoning, context, knowledge].compactMap { $0 }.max() }
}

/// What a policy did on one step of a request, all its rounds included.
public struct StepDecision: Sendable {
    /// The policy's position in the run.
    public var policy: Int
    /// The step's first round in `Record.steps`.
    public var step: Int
    public var decision: Decision
    /// Rounds run: 1, or more in a critic loop.
    public var rounds: Int
    /// The cost of the step's cheapest successful model; nil when none succeeded.
    public var oracleCost: Double?
}

/// One call a policy made on one step of a request, for the self-hosted fleets (docs/capacity.md):
/// the policy, the step's occurrence in `Record.steps` (a critic loop's later rounds included) and
/// the models the call used.
package struct StepCall: Sendable {
    package var policy: Int
    package var step: Int
    package var models: [Int]
}

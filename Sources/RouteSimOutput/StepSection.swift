import RouteSimAnalysis
import RouteSimModel

/// The report's "Step by step" section, for a log whose requests are workflows of steps
/// (docs/metrics.md, "Steps"): per policy, what each step costs, how often it succeeds, how slow
/// it is and which models answer it. Empty for a log without steps.
enum StepSection {
    static func render(_ summary: SimulationSummary) -> String {
        guard summary.policies.contains(where: { !$0.steps.isEmpty }) else { return "" }
        var out = "## Step by step\n\n"
        out += "Each request runs several steps. For each policy: what each step adds to the cost of a request "
        out += "(and its share of the policy's cost), how often the step succeeds where the policy runs it, "
        out += "how often it is over-routed (a cheaper model would have done) or under-routed (it failed where "
        out += "another model would have succeeded), its 95th-percentile latency, and the models that answered it. "
        out += "A request succeeds when every step its policy requires succeeds; its latency follows the longest "
        out += "chain of steps that wait for one another.\n"
        for policy in summary.policies where !policy.steps.isEmpty {
            let budgets = policy.latencyBudget != nil
            out += "\n### \(Markdown.text(policy.name))\n\n"
            if let budget = policy.latencyBudget, let total = budget.budgetMs {
                out += "End to end, \(Format.percent(budget.overShare)) of requests took longer than the \(Format.milliseconds(total)) budget.\n\n"
            }
            out += "| Step | Cost per request | Share of cost | Success | Over- / under-routed | p95 latency |"
            out += budgets ? " Over budget |" : ""
            out += " Models | Rounds |\n|---|---:|---:|---:|---:|---:|" + (budgets ? "---:|" : "") + "---|---:|\n"
            for step in policy.steps {
                let models = step.modelMix.map { "\(Markdown.text($0.model)) \(Format.percent($0.share))" }.joined(separator: ", ")
                out += "| \(Markdown.text(step.step)) | \(Format.usd(step.cpiUSD)) | \(Format.percent(step.costShare)) | "
                out += "\(Format.percent(step.successRate)) | \(Format.percent(step.overRoutingRate)) / \(Format.percent(step.underRoutingRate)) | "
                out += "\(Format.milliseconds(step.latencyP95)) | "
                if budgets {
                    out += step.budgetMs.map { "\(Format.percent(step.overBudgetShare)) of runs > \(Format.milliseconds($0))" } ?? "no budget"
                    out += " | "
                }
                out += "\(models) | \(Format.fixed(step.roundsPerRequest, 2)) |\n"
            }
        }
        return out + "\n"
    }
}

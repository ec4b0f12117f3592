import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// Error-budget breaches of one policy: windows where an observed rate fell below its target.
public struct ErrorBudget: Sendable {
    /// A window in which a subject missed its target.
    public struct Breach: Sendable, Equatable {
        /// Start of the window, seconds since the epoch.
        public var windowStart: Double
        /// "success", "routing_accuracy", "model:NAME", "latency" (end to end) or "latency:STEP".
        public var subject: String
        public var observed: Double
        public var target: Double
        public var requests: Int
        /// (1 − observed) / (1 − target): how many times faster than allowed the budget burned.
        public var burn: Double
    }

    public var windows: Int
    public var windowSeconds: Double
    public var breaches: [Breach]

    /// Checks every window (in time order) against every target of `slo`; `steps` are the
    /// policy's step counts by name, for the steps' latency budgets.
    package init(windows series: WindowSeries, steps: [(name: String, counts: StepCounts)] = [], slo: SLOSpec, catalog: ModelCatalog) {
        let counts = series.windows
        windows = counts.count
        windowSeconds = slo.windowSeconds
        var breaches: [Breach] = []
        for (window, count) in counts {
            let start = Double(window) * slo.windowSeconds
            func check(_ subject: String, _ good: Int, _ total: Int, _ target: Double?) {
                guard let target, total > 0 else { return }
                let observed = Double(good) / Double(total)
                guard observed < target else { return }
                let burn = target < 1 ? (1 - observed) / (1 - target) : .infinity
                breaches.append(Breach(windowStart: start, subject: subject, observed: observed, target: target,
                                       requests: total, burn: burn))
            }
            check("success", count.successes, count.requests, slo.success)
            check("routing_accuracy", count.routedRight, count.requests, slo.routingAccuracy)
            for (model, target) in slo.models {
                check("model:\(catalog.models[model].name)", count.answerSuccesses[model], count.answers[model], target)
            }
            guard slo.latencyBudget != nil else { continue }
            check("latency", count.budget.within, count.budget.checked, slo.latencyWithin)
            for step in steps {
                guard let budget = step.counts.budgetWindows[window] else { continue }
                check("latency:\(step.name)", budget.within, budget.checked, slo.latencyWithin)
            }
        }
        self.breaches = breaches
    }
}

import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// `report.md`: what each policy would have cost and how well it would have done, in plain words.
public enum MarkdownReport {
    public static func render(_ summary: SimulationSummary, charts: ChartRenderer.Outcome = .init()) -> String {
        var out = "# Routing simulation report\n\n"
        out += managerSummary(summary)
        out += chart("monthly-cost", charts)
        out += "## Policies at a glance\n\n"
        out += "| Policy | Cost per request | Monthly cost | Savings vs baseline | Success rate | Routing accuracy | p95 latency |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|\n"
        for policy in summary.policies {
            let monthly = summary.monthlyVolume.map { $0 * policy.cpiUSD }
            let savings = policy.savings.map { Format.fixed($0.pct ?? .nan, 1) + "%" } ?? "n/a"
            out += "| \(Markdown.text(policy.name))\(policy.name == summary.baseline ? " (baseline)" : "") | \(Format.usd(policy.cpiUSD)) | "
            out += "\(Format.usd(monthly)) | \(savings) | \(Format.percent(policy.successRate)) | "
            out += "\(Format.percent(policy.routingAccuracy)) | \(Format.milliseconds(policy.latency?.p95)) |\n"
        }
        out += "\n"
        for name in ["frontier", "model-mix", "latency-cdf", "timeline", "payback"] { out += chart(name, charts) }
        out += CapacitySection.render(summary, charts: charts)
        out += StepSection.render(summary)
        out += ComplexitySection.render(summary, charts: charts)
        out += categories(summary)
        out += reviewQueue(summary)
        for policy in summary.policies { out += detail(policy, summary) }
        out += errorBudgets(summary)
        out += method(summary)
        if !charts.skipped.isEmpty {
            out += "\n## Charts not drawn\n\n"
            for (chart, reason) in charts.skipped { out += "- `\(chart.name)`: \(reason).\n" }
        }
        return out
    }

    /// Every rendered chart in order, and a line for each skipped one.
    package static func embed(_ charts: ChartRenderer.Outcome) -> String {
        var out = charts.rendered.map { chart($0.name, charts) }.joined()
        for (chart, reason) in charts.skipped { out += "*Chart `\(chart.name)` not drawn: \(reason).*\n\n" }
        return out
    }

    /// A rendered chart as a Markdown image with alt text and a link to its SVG; nothing when not drawn.
    package static func chart(_ name: String, _ charts: ChartRenderer.Outcome) -> String {
        guard let chart = charts.rendered.first(where: { $0.name == name }) else { return "" }
        let alt = Markdown.text(chart.altText)
        return "![\(alt)](charts/\(name).png)\n\n*\(alt)* ([SVG](charts/\(name).svg))\n\n"
    }

    /// The opening a manager reads: what to do, what it saves, what happens to quality and risk.
    private static func managerSummary(_ summary: SimulationSummary) -> String {
        var out = "## Summary\n\n"
        if !summary.missingShards.isEmpty {
            out += "**This report covers part of the log.** Shard\(summary.missingShards.count == 1 ? "" : "s") "
            out += "\(summary.missingShards.joined(separator: ", ")) of the log \(summary.missingShards.count == 1 ? "was" : "were") not merged "
            out += "(`merge --allow-missing-shards`): every figure below is over the other shards' requests only.\n\n"
        }
        out += overview(summary)
        guard let baseline = summary.baseline else {
            return out + "No baseline policy was given (`--baseline`), so there is nothing to measure savings against.\n\n"
        }
        guard let pick = Recommendation(summary), let policy = pick.policy else {
            out += "**No policy is recommended.** None saves money against **\(Markdown.text(baseline))** without losing more than "
            out += "\(Format.fixed(Recommendation.maxSuccessDrop * 100, 1)) points of success rate beyond what chance explains.\n\n"
            return out
        }
        let base = pick.baseline, savings = policy.savings!
        let points = { (value: Double) in Format.fixed(value * 100, 1) }
        switch pick.verdict {
        case .recommended:
            out += "**Recommendation: \(Markdown.text(policy.name)).** Of the policies shown to keep quality within "
            out += "\(points(Recommendation.maxSuccessDrop)) points of **\(Markdown.text(baseline))** (what production does today), it costs least.\n\n"
        case .notEnoughData, .none:
            out += "**Not enough requests to tell.** **\(Markdown.text(policy.name))** would cost least, but these "
            out += "\(Format.grouped(Double(policy.requests))) requests cannot show that it keeps quality within "
            out += "\(points(Recommendation.maxSuccessDrop)) points of **\(Markdown.text(baseline))**: its success rate differs by "
            out += "\(Format.interval(pick.successDiffCI95, points)) points (95% interval). Replay more requests before acting on it.\n\n"
        }
        out += "- **Cost**: \(Format.usd(policy.cpiUSD)) per request instead of \(Format.usd(base.cpiUSD)), "
        out += "\(Format.fixed(savings.pct ?? 0, 1))% less (95% interval \(Format.interval(savings.pctCI95) { Format.fixed($0, 1) + "%" })).\n"
        if let monthly = savings.monthlyUSD, let annual = savings.annualUSD {
            out += "- **Savings**: \(Format.usd(monthly)) a month (\(Format.interval(savings.monthlyUSDCI95, Format.usd))), "
            out += "\(Format.usd(annual)) a year (\(Format.interval(savings.annualUSDCI95, Format.usd))).\n"
        }
        if let cost = summary.engineeringCostUSD {
            out += "- **Payback**: the \(Format.usd(cost)) of engineering is paid back in \(payback(policy)).\n"
        }
        out += "- **Quality**: \(Format.percent(policy.successRate)) of requests succeed, against \(Format.percent(base.successRate)) today; "
        out += "\(Format.percent(policy.underRoutingRate)) fail where another model would have succeeded (under-routed), "
        out += "and \(Format.percent(policy.overRoutingRate)) still go to a costlier model than needed (over-routed).\n"
        if let budget = policy.errorBudget {
            let todays = base.errorBudget?.breaches.count ?? 0
            out += "- **Risk**: \(Format.count(budget.breaches.count, "error-budget breach", "error-budget breaches")) in "
            out += "\(Format.count(budget.windows, "window", "windows")) (today's policy: \(todays)).\n"
        }
        if policy.reviewRate > 0 {
            out += "- **Review load**: \(Format.percent(policy.reviewRate)) of requests would be flagged for human review "
            out += "(about \(Format.grouped((summary.monthlyVolume ?? 0) * policy.reviewRate)) a month); "
            if let cost = summary.reviewCostUSD {
                out += "at \(Format.usd(cost)) a review, that is included in its cost above.\n"
            } else {
                out += "their cost is **not** in the figures above (give `review: {cost_usd: …}` in the catalog to include it).\n"
            }
        } else {
            out += "- **Review load**: none; it flags no request for human review.\n"
        }
        return out + "\n"
    }

    private static func overview(_ summary: SimulationSummary) -> String {
        var out = "Replayed \(Format.grouped(Double(summary.accepted))) requests"
        if let period = summary.period {
            out += " from \(ISOTime.format(period.lowerBound)) to \(ISOTime.format(period.upperBound))"
        }
        out += " through \(summary.policies.count) policies. "
        if summary.rejected > 0 {
            out += "\(Format.grouped(Double(summary.rejected))) of \(Format.grouped(Double(summary.recordsRead))) records were rejected as invalid (see `rejected.jsonl`). "
        }
        if let volume = summary.monthlyVolume {
            out += "Monthly figures assume \(Format.grouped(volume)) requests a month (\(summary.monthlyVolumeSource))."
        }
        return out + "\n\n"
    }

    private static func detail(_ policy: PolicyMetrics, _ summary: SimulationSummary) -> String {
        var rows: [(String, String)] = [
            ("Requests", Format.grouped(Double(policy.requests))),
            ("Total cost", Format.usd(policy.totalCostUSD)),
            ("Cost per request (CPI), 95% interval", "\(Format.usd(policy.cpiUSD)) (\(Format.interval(policy.cpiCI95, Format.usd)))"),
            ("Success rate (95% interval)", "\(Format.percent(policy.successRate)) (\(Format.interval(policy.successCI95, Format.percent)))"),
            ("Over-routed (a cheaper model would have succeeded)", Format.percent(policy.overRoutingRate)),
            ("Under-routed (failed where another model succeeded)", Format.percent(policy.underRoutingRate)),
            ("Unsolvable (no model succeeded)", Format.percent(policy.unsolvableRate)),
            ("Routing accuracy", Format.percent(policy.routingAccuracy)),
            ("Answers by model", policy.modelMix.map { "\(Markdown.text($0.model)) \(Format.percent($0.share))" }.joined(separator: ", ")),
            ("Escalated", Format.percent(policy.escalationRate)),
            ("Flagged for review", Format.percent(policy.reviewRate)),
            ("Model calls with mocked outcomes", Format.percent(policy.mockedCallShare)),
        ]
        if let latency = policy.latency {
            let sketched = latency.exact ? "" : " (from a sketch of \(Format.grouped(Double(latency.requests))) latencies: each within 0.5%)"
            rows.append(("Latency p50 / p95 / p99", "\(Format.milliseconds(latency.p50)) / \(Format.milliseconds(latency.p95)) / \(Format.milliseconds(latency.p99))\(sketched)"))
            rows.append(("Latency mean", Format.milliseconds(latency.mean)))
            if latency.requests < policy.requests {
                rows.append(("Requests with a recorded latency", Format.grouped(Double(latency.requests))))
            }
        } else {
            rows.append(("Latency", "unavailable: the log recorded no latency for the calls this policy makes"))
        }
        if let gap = policy.qualityGapRecovered { rows.append(("Quality gap recovered", Format.percent(gap))) }
        if let savings = policy.savings, policy.name != summary.baseline {
            rows.append(("Savings per request", "\(Format.usd(savings.cpiUSD)) (\(Format.interval(savings.cpiUSDCI95, Format.usd)))"))
            if let pct = savings.pct {
                rows.append(("Savings", "\(Format.fixed(pct, 1))% (\(Format.interval(savings.pctCI95) { Format.fixed($0, 1) + "%" }))"))
            }
            rows.append(("Savings per month", "\(Format.usd(savings.monthlyUSD)) (\(Format.interval(savings.monthlyUSDCI95, Format.usd)))"))
            rows.append(("Savings per year", "\(Format.usd(savings.annualUSD)) (\(Format.interval(savings.annualUSDCI95, Format.usd)))"))
            rows.append(("Payback", payback(policy)))
        }
        var out = "## \(Markdown.text(policy.name))\n\n| Measure | Value |\n|---|---:|\n"
        for (name, value) in rows { out += "| \(name) | \(value) |\n" }
        return out + "\n"
    }

    /// Where each policy over- and under-routes, by category, and what over-routing costs.
    private static func categories(_ summary: SimulationSummary) -> String {
        let names = Array(Set(summary.policies.flatMap { $0.byCategory.map(\.category) })).sorted()
        guard !names.isEmpty else { return "" }
        let scale = summary.monthlyVolume.map { $0 / Double(max(summary.accepted, 1)) }
        var out = "## Where each policy goes wrong, by category\n\n"
        out += "Each cell: share of the category's requests that were **over-routed** (a cheaper model would have succeeded) / "
        out += "**under-routed** (failed where another model would have succeeded).\n\n"
        out += "| Category | Requests | " + summary.policies.map { Markdown.text($0.name) }.joined(separator: " | ") + " |\n"
        out += "|---|---:|" + String(repeating: "---:|", count: summary.policies.count) + "\n"
        for name in names {
            let requests = summary.policies.first?.byCategory.first { $0.category == name }?.requests ?? 0
            out += "| \(Markdown.text(name)) | \(Format.grouped(Double(requests))) | "
            out += summary.policies.map { policy in
                guard let category = policy.byCategory.first(where: { $0.category == name }) else { return "" }
                return "\(Format.percent(category.overRoutingRate)) / \(Format.percent(category.underRoutingRate))"
            }.joined(separator: " | ") + " |\n"
        }
        out += "\nWhat over-routing costs beyond the cheapest model that would have succeeded"
        out += scale == nil ? " (over the log):\n\n" : ", per month:\n\n"
        out += "| Category | " + summary.policies.map { Markdown.text($0.name) }.joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---:|", count: summary.policies.count) + "\n"
        for name in names {
            out += "| \(Markdown.text(name)) | " + summary.policies.map { policy in
                guard let category = policy.byCategory.first(where: { $0.category == name }) else { return "" }
                return Format.usd(category.overRoutingExcessUSD * (scale ?? 1))
            }.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    /// The human review the confidence bands of recorded-router policies would create.
    private static func reviewQueue(_ summary: SimulationSummary) -> String {
        let reviewing = summary.policies.filter { $0.reviewRate > 0 }
        guard !reviewing.isEmpty else { return "" }
        var out = "## Review queue\n\n"
        for policy in reviewing {
            out += "**\(Markdown.text(policy.name))** flags \(Format.percent(policy.reviewRate)) of requests for review"
            if let volume = summary.monthlyVolume { out += " (about \(Format.grouped(volume * policy.reviewRate)) a month)" }
            let busiest = policy.byCategory.sorted { $0.reviewRate > $1.reviewRate }.prefix(3)
            if !busiest.isEmpty {
                out += "; most in " + busiest.map { "\(Markdown.text($0.category)) (\(Format.percent($0.reviewRate)))" }.joined(separator: ", ")
            }
            out += ".\n\n"
        }
        return out
    }

    /// Breaches per policy, at most 20 rows each.
    private static func errorBudgets(_ summary: SimulationSummary) -> String {
        guard let first = summary.policies.first?.errorBudget else { return "" }
        let hours = first.windowSeconds / 3600
        let window = hours >= 24 ? "\(Format.fixed(hours / 24, 0))-day" : "\(Format.fixed(hours, hours < 1 ? 2 : 0))-hour"
        var out = "## Error budget\n\nTargets were checked in each \(window) window (\(first.windows) windows). "
        out += "A breach is a window where the observed rate fell below its target; burn is (1 − observed)/(1 − target), "
        out += "how many times faster than allowed the error budget was spent.\n\n"
        for policy in summary.policies {
            guard let budget = policy.errorBudget else { continue }
            guard !budget.breaches.isEmpty else {
                out += "- **\(Markdown.text(policy.name))**: no breaches.\n"
                continue
            }
            out += "- **\(Markdown.text(policy.name))**: \(Format.count(budget.breaches.count, "breach", "breaches")).\n"
        }
        for policy in summary.policies {
            guard let budget = policy.errorBudget, !budget.breaches.isEmpty else { continue }
            out += "\n### \(Markdown.text(policy.name))\n\n| Window start | Subject | Observed | Target | Requests | Burn |\n|---|---|---:|---:|---:|---:|\n"
            for breach in budget.breaches.prefix(20) {
                out += "| \(ISOTime.format(breach.windowStart)) | \(Markdown.text(breach.subject)) | \(Format.percent(breach.observed)) | "
                out += "\(Format.percent(breach.target)) | \(Format.grouped(Double(breach.requests))) | \(Format.fixed(breach.burn, 1))× |\n"
            }
            if budget.breaches.count > 20 { out += "\n… and \(budget.breaches.count - 20) more in `summary.json`.\n" }
        }
        return out + "\n"
    }

    private static func payback(_ policy: PolicyMetrics) -> String {
        guard let months = policy.paybackMonths else { return policy.paybackNote ?? "n/a" }
        var text = Format.fixed(months, 1) + " months"
        if let interval = policy.paybackMonthsCI95 {
            text += " (\(Format.fixed(interval.low, 1))–\(interval.high.map { Format.fixed($0, 1) } ?? "never"))"
        }
        if let ramp = policy.paybackMonthsWithRollout { text += "; \(Format.fixed(ramp, 1)) months with the rollout" }
        return text
    }

    private static func method(_ summary: SimulationSummary) -> String {
        var out = "## Method\n\n"
        let mocked = summary.policies.filter { $0.mockedCallShare > 0 }
        if mocked.isEmpty {
            out += "- Every request was replayed against the outcomes the log recorded for each model; nothing was mocked.\n"
        } else {
            out += "- Outcomes the log did not record were drawn from a mock (seeded per request and model). Share of each policy's model calls that used mocked outcomes: "
            out += summary.policies.map { "\(Markdown.text($0.name)) \(Format.percent($0.mockedCallShare))" }.joined(separator: ", ") + ". "
            out += "Figures resting on mocked calls are modelled, not measured."
            if summary.mockReplicas > 0 {
                out += " Over \(summary.mockReplicas) replicas of the mock's draws, cost per request and success rate vary within: "
                out += mocked.map { policy in
                    "\(Markdown.text(policy.name)) \(Format.interval(policy.cpiMockCI95, Format.usd)) and \(Format.interval(policy.successMockCI95, Format.percent))"
                }.joined(separator: "; ") + "."
            }
            out += "\n"
        }
        if let added = summary.addedProduction {
            out += "- \(Markdown.text(added)) replays every call the log records, as production made it, priced at what it cost; routesim added it as the baseline because the log records every call (name a `kind: recorded` policy or `--baseline` to choose otherwise).\n"
        }
        out += prices(summary.prices)
        out += "- Success intervals are Wilson 95% score intervals. Latency percentiles interpolate linearly between order statistics"
        out += summary.policies.contains { $0.latency?.exact == false }
            ? ", except where a policy's are marked as from a sketch (more latencies than `--exact-latencies`).\n" : ".\n"
        out += "- Cost, savings and payback intervals (in brackets) are 95% percentile intervals of a paired bootstrap: "
        out += "requests are hashed by id into \(GroupBootstrap.groupCount) groups, and \(Format.grouped(Double(summary.bootstrap.replicates))) "
        out += "replicates redraw the groups with replacement (GSL Mersenne Twister, seed \(summary.bootstrap.seed)). "
        out += "Savings use the same replicates for the policy and the baseline. The payback interval follows from the monthly-savings interval.\n"
        out += "- A request is over-routed when it succeeded but a cheaper model would also have succeeded; under-routed when it failed but some model succeeded.\n"
        out += "- Records read: \(summary.recordsRead); accepted: \(summary.accepted); rejected: \(summary.rejected).\n"
        out += logNotes(summary.logNotes)
        out += costChecks(summary.costChecks)
        return out
    }

    /// Which prices priced the calls, and at which dates.
    private static func prices(_ list: PriceList) -> String {
        /// A date, or a date and time when it is not midnight UTC.
        func day(_ time: Double) -> String {
            let text = ISOTime.format(time)
            return text.hasSuffix("T00:00:00Z") ? String(text.prefix(10)) : text
        }
        var out = "- Cost of a call: "
        if let date = list.repricedAt {
            out += "every call at the catalog's per-call and per-token prices in force on \(day(date)); recorded costs are set aside, "
            out += "except for models the catalog does not price and failed calls that billed nothing."
        } else {
            out += "the recorded `cost_usd` where present, else the catalog's per-call and per-token prices"
            if !list.dated.isEmpty {
                out += " in force at the request's time ("
                out += list.dated.map { model, dates in "\(Markdown.text(model)) changes on \(dates.map(day).joined(separator: ", "))" }.joined(separator: "; ")
                out += ")"
            }
            out += "."
        }
        out += " Price list: \(Markdown.text(list.catalog))"
        if let table = list.litellmTable { out += ", with prices from LiteLLM's table \(Markdown.text(table))" }
        return out + ".\n"
    }

    /// What makes the cost figures doubtful, in plain words (nothing when the checks found nothing).
    private static func costChecks(_ lint: CostLint) -> String {
        let said: [String] = CostLint.Kind.allCases.compactMap { kind in
            let count = lint[kind]
            guard count > 0 else { return nil }
            let number = Format.grouped(Double(count))
            switch kind {
            case .zeroTokenCalls: return "\(number) \(count == 1 ? "call" : "calls") priced from tokens counted no input, or no output on a success"
            case .constantTokenModels: return "\(number) \(count == 1 ? "model's calls all count" : "models' calls each count") the same tokens (a placeholder?)"
            case .costMismatches: return "\(number) recorded \(count == 1 ? "cost disagrees" : "costs disagree") with the catalog's price by more than 5%"
            case .unpricedCalls: return "\(number) \(count == 1 ? "call is" : "calls are") of models the catalog cannot price, priced only by recorded costs"
            case .countsOverTotals: return "\(number) \(count == 1 ? "record was" : "records were") refused for cache or reasoning counts above their totals"
            case .duplicateSpans: return "\(number) \(count == 1 ? "call was" : "calls were") traced twice"
            case .orphanSpans: return "\(number) \(count == 1 ? "trace has" : "traces have") spans whose parents are missing (spans lost?)"
            }
        }
        guard !said.isEmpty else { return "" }
        return "- Cost checks: " + said.joined(separator: "; ") + " (`routesim validate --lint` lists each with its file, line and field).\n"
    }

    /// What reading a log of calls assumed, in plain words (nothing when it assumed nothing).
    private static func logNotes(_ notes: LogNotes) -> String {
        var said: [String] = []
        func count(_ value: Int, _ one: String, _ many: String) {
            if value > 0 { said.append("\(Format.grouped(Double(value))) \(value == 1 ? one : many)") }
        }
        count(notes.unbilledFailedCalls, "failed call recorded no token usage; it is counted as a failed call that cost nothing",
              "failed calls recorded no token usage; they are counted as failed calls that cost nothing")
        count(notes.retriedAttempts, "failed attempt that billed nothing was retried on the same model; the retry stands for it",
              "failed attempts that billed nothing were retried on the same model; the retry stands for each")
        count(notes.duplicateCalls, "call appeared twice in the traces (for instance traced by both an SDK and an instrumentation); it is counted once",
              "calls appeared twice in the traces (for instance traced by both an SDK and an instrumentation); each is counted once")
        count(notes.requestsAcrossLines, "request's calls were spread over several lines of the log and were joined",
              "requests' calls were spread over several lines of the log and were joined")
        count(notes.multiCallRequests, "request made further calls after a successful one; its calls are read as steps \"call 1\", \"call 2\", …",
              "requests made further calls after a successful one; their calls are read as steps \"call 1\", \"call 2\", …")
        count(notes.repricedCalls, "call carried a recorded cost of $0 because the gateway could not price it; it is priced from the catalog",
              "calls carried a recorded cost of $0 because the gateway could not price them; they are priced from the catalog")
        count(notes.unansweredBatchLines, "batch line failed before any model answered and names no model; it is charged, costing nothing, to the file's batch that has no answer for its request",
              "batch lines failed before any model answered and name no model; each is charged, costing nothing, to the file's batch that has no answer for its request")
        count(notes.untimedCalls, "call recorded no time; it is placed at its request's, else its file's, earliest recorded time (2024-01-01 when the file records none)",
              "calls recorded no time; each is placed at its request's, else its file's, earliest recorded time (2024-01-01 when the file records none)")
        return said.map { "- Reading the log: \($0).\n" }.joined()
    }
}

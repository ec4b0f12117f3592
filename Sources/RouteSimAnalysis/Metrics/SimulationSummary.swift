import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// Everything `simulate` reports: the input counts, the period, and each policy's metrics.
public struct SimulationSummary: Sendable {
    public var version: String
    public var seed: Int
    public var recordsRead: Int
    public var accepted: Int
    public var rejected: Int
    /// What reading logs of calls assumed or set aside (docs/log-formats.md, "Calls, retries and duplicates").
    public var logNotes: LogNotes
    /// What makes a cost figure doubtful (docs/metrics.md, "Cost checks").
    public var costChecks: CostLint
    /// Which price list priced the calls, and at which dates (docs/catalog.md, "Prices that change").
    public var prices: PriceList
    public var baseline: String?
    /// Requests a month used for monthly figures, and where that number came from.
    public var monthlyVolume: Double?
    public var monthlyVolumeSource: String
    public var engineeringCostUSD: Double?
    /// The catalog's cost of one human review, included in each policy's cost when given.
    public var reviewCostUSD: Double?
    public var rollout: [Double]
    /// Replays with redrawn mocks behind the `*_mock_ci95` intervals (0: none).
    public var mockReplicas = 0
    /// How many times as fast self-hosted fleets saw the log's arrivals (`--arrival-scale`).
    public var arrivalScale = 1.0
    /// The `recorded` policy routesim added as the baseline, reading a log of calls, if it did.
    public var addedProduction: String?
    /// Shards of the log a merge went without (`merge --allow-missing-shards`), as "I/N": the
    /// figures cover the other shards' requests only.
    public var missingShards: [String] = []
    /// Length of the timeline's (and error budget's) windows.
    public var windowSeconds: Double
    /// The catalog's model names, in catalog order.
    public var modelNames: [String]
    /// First and last request time (seconds since the epoch); nil for an empty log.
    public var period: ClosedRange<Double>?
    /// Success rate of every model recorded on every request, the base of "quality gap recovered".
    public var singleModelSuccess: [(model: String, rate: Double)]
    public var policies: [PolicyMetrics]
    /// For a log with steps: each model on each step, and what each step needs.
    public var complexity: ComplexityMatrix?

    /// Choices of the run that shape the figures.
    public struct Options: Sendable {
        public var baseline: String?
        public var monthlyVolume: Double?
        public var engineeringCostUSD: Double?
        /// Share of traffic on the policy in months 1, 2, … (the last holds); empty: all at once.
        public var rollout: [Double] = []
        /// Error-budget targets, if any.
        public var slo: SLOSpec?
        /// Self-hosted fleets see the log's arrivals this many times as fast (`--arrival-scale`;
        /// docs/capacity.md); monthly figures from the log's own rate grow with it.
        public var arrivalScale = 1.0
        public var seed = 1
        public var version = RouteSim.version
        /// Whether each policy's latency curve is worked out (`LatencySummary.cdf`, drawn by the
        /// charts alone): off when no chart is drawn, it saves a pass over every latency.
        public var latencyCurves = true

        /// The length of the windows of the timeline and the error budget: the SLO file's, else a day.
        public var windowSeconds: Double { slo?.windowSeconds ?? 86_400 }

        public init(baseline: String? = nil, monthlyVolume: Double? = nil, engineeringCostUSD: Double? = nil) {
            self.baseline = baseline
            self.monthlyVolume = monthlyVolume
            self.engineeringCostUSD = engineeringCostUSD
        }
    }

    /// `bootstrap`, when given, must be the one the options' seed draws (it is drawn again otherwise).
    public init(result: Replay.Result, policies: [Policy], catalog: ModelCatalog, options: Options,
                bootstrap given: GroupBootstrap? = nil) throws {
        var totals = result.totals
        let apiOnly = totals.policies.map { $0.cost.value }
        let fleets = try Fleets.apply(&totals, policies: policies, catalog: catalog, windowSeconds: options.windowSeconds,
                                     budgetMs: options.slo?.latencyBudget?.endToEndMs, scale: options.arrivalScale)
        arrivalScale = options.arrivalScale
        let windowSeconds = options.windowSeconds
        self.windowSeconds = windowSeconds
        modelNames = catalog.models.map(\.name)
        version = options.version
        seed = options.seed
        recordsRead = result.recordsRead
        accepted = totals.accepted
        logNotes = totals.logNotes
        costChecks = totals.lint
        prices = PriceList(catalog)
        rejected = result.rejected
        engineeringCostUSD = options.engineeringCostUSD
        reviewCostUSD = catalog.reviewCostUSD
        rollout = options.rollout
        period = totals.accepted > 0 ? totals.firstTimestamp...totals.lastTimestamp : nil
        if let volume = options.monthlyVolume {
            monthlyVolume = volume
            monthlyVolumeSource = "--monthly-volume"
        } else if let period, period.upperBound > period.lowerBound {
            monthlyVolume = Double(totals.accepted) / (period.upperBound - period.lowerBound) * 30 * 86_400 * options.arrivalScale
            monthlyVolumeSource = "the log's own rate scaled to 30 days" + (options.arrivalScale == 1 ? "" : ", times the arrival scale \(Format.fixed(options.arrivalScale, 2))")
        } else {
            monthlyVolume = nil
            monthlyVolumeSource = "unknown: the log spans no time; give --monthly-volume"
        }
        singleModelSuccess = catalog.models.indices.compactMap { index in
            guard totals.accepted > 0, totals.modelOutcomes[index] == totals.accepted else { return nil }
            return (catalog.models[index].name, Double(totals.modelSuccesses[index]) / Double(totals.accepted))
        }
        self.policies = Parallel.map(Array(zip(policies, totals.policies))) { policy, accumulator in
            var metrics = PolicyMetrics(name: policy.name, kind: policy.kind.name, totals: accumulator, catalog: catalog,
                                        latencyCurve: options.latencyCurves)
            let index = policies.firstIndex { $0.name == policy.name }!
            metrics.fleets = fleets[index]
            if !fleets[index].isEmpty {
                // The policy's cost per request as traffic grows: API calls scale with it, fleets do not.
                metrics.cpiByTraffic = FleetMetrics.trafficScales.enumerated().map { position, factor in
                    (factor, (apiOnly[index] + fleets[index].reduce(0) { $0 + $1.costByTraffic[position].costUSD }) / Double(max(accumulator.requests, 1)))
                }
            }
            let steps = zip(totals.stepNames, accumulator.steps).map { (name: $0, counts: $1) }
            metrics.errorBudget = options.slo.map { ErrorBudget(windows: accumulator.windows, steps: steps, slo: $0, catalog: catalog) }
            metrics.byCategory = zip(totals.categoryNames, accumulator.categories)
                .map { CategoryMetrics(category: $0, counts: $1) }
                .sorted { $0.category < $1.category }
            let budget = options.slo?.latencyBudget
            metrics.steps = zip(totals.stepNames, accumulator.steps).map {
                StepMetrics(step: $0, counts: $1, policy: accumulator, policyName: policy.name, catalog: catalog, budget: budget)
            }
            if let breaches = metrics.errorBudget?.breaches, budget != nil {
                for index in metrics.steps.indices where metrics.steps[index].budgetMs != nil {
                    metrics.steps[index].budgetBreaches = breaches.filter { $0.subject == "latency:" + metrics.steps[index].step }.count
                }
            }
            metrics.latencyBudget = budget.map { ($0.endToEndMs, $0.endToEndMs == nil ? nil : accumulator.budget.overShare) }
            metrics.timeline = accumulator.windows.windows.map { index, counts in
                TimelinePoint(start: Double(index) * windowSeconds, requests: counts.requests,
                              costUSD: Double(counts.costUnits) / accumulator.cost.unitsPerOne,
                              successRate: Double(counts.successes) / Double(counts.requests))
            }
            return metrics
        }
        baseline = try Self.baselineName(options.baseline, policies: policies, catalog: catalog)
        let seed = UInt(bitPattern: options.seed)
        bootstrap = given.flatMap { $0.seed == seed && $0.replicates == GroupBootstrap.defaultReplicates ? $0 : nil }
            ?? GroupBootstrap(seed: seed)
        fillComparisons()
        fillIntervals(totals)
        if !totals.stepNames.isEmpty {
            complexity = ComplexityMatrix(totals: totals, policies: policies, metrics: self.policies, baseline: baseline,
                                          slo: options.slo, monthlyVolume: monthlyVolume, catalog: catalog)
        }
    }

    /// Every error-budget breach of every policy.
    public var breachCount: Int { policies.reduce(0) { $0 + ($1.errorBudget?.breaches.count ?? 0) } }

    /// The bootstrap behind every CPI, savings and payback interval.
    public let bootstrap: GroupBootstrap

    /// `--baseline`, else the first `kind: recorded` policy (what production did), else the first
    /// single-model policy on the highest tier.
    package static func baselineName(_ requested: String?, policies: [Policy], catalog: ModelCatalog) throws -> String? {
        if let requested {
            guard policies.contains(where: { $0.name == requested }) else {
                throw RouteSimError.usage("--baseline \(requested) is not one of the policies: \(policies.map(\.name).joined(separator: ", "))")
            }
            return requested
        }
        if let recorded = policies.first(where: { if case .recorded = $0.kind { return true } else { return false } }) { return recorded.name }
        let singles = policies.compactMap { policy -> (String, Int)? in
            guard case let .single(model) = policy.kind else { return nil }
            return (policy.name, catalog.models[model].tier)
        }
        guard let top = singles.map(\.1).max() else { return nil }
        return singles.first { $0.1 == top }?.0
    }

    /// Paired group-bootstrap intervals (see `GroupBootstrap`) for CPI, savings and payback.
    private mutating func fillIntervals(_ totals: ReplayTotals) {
        // One weighted sum per replicate for the request counts and for each policy's costs;
        // CPI, savings and their percentages are ratios of these sums.
        let requests = bootstrap.sums(totals.groupRequests.map(Double.init))
        let costs = Parallel.map(totals.policies) { bootstrap.sums($0.groupCostUSD) }
        let baseIndex = policies.firstIndex { $0.name == baseline }
        let replicates = policies.indices.map { index -> (cpi: ClosedRange<Double>?, savings: [Double?], pct: [Double?]) in
            let cpi = GroupBootstrap.percentileInterval(GroupBootstrap.ratios(costs[index], requests))
            guard let baseIndex else { return (cpi, [], []) }
            let saved = zip(costs[baseIndex], costs[index]).map { $0 - $1 }
            return (cpi, GroupBootstrap.ratios(saved, requests), GroupBootstrap.ratios(saved, costs[baseIndex]).map { $0.map { $0 * 100 } })
        }
        for index in policies.indices {
            policies[index].cpiCI95 = replicates[index].cpi
            guard policies[index].savings != nil else { continue }
            let perRequest = replicates[index].savings
            policies[index].savings?.cpiUSDCI95 = GroupBootstrap.percentileInterval(perRequest)
            policies[index].savings?.pctCI95 = GroupBootstrap.percentileInterval(replicates[index].pct)
            guard let volume = monthlyVolume else { continue }
            let monthly = perRequest.map { $0.map { $0 * volume } }
            let monthlyCI = GroupBootstrap.percentileInterval(monthly)
            policies[index].savings?.monthlyUSDCI95 = monthlyCI
            policies[index].savings?.annualUSDCI95 = monthlyCI.map { ($0.lowerBound * 12)...($0.upperBound * 12) }
            if let cost = engineeringCostUSD, policies[index].paybackMonths != nil, let monthlyCI, monthlyCI.upperBound > 0 {
                policies[index].paybackMonthsCI95 = (cost / monthlyCI.upperBound, monthlyCI.lowerBound > 0 ? cost / monthlyCI.lowerBound : nil)
            }
        }
    }

    private mutating func fillComparisons() {
        let rates = singleModelSuccess.map(\.rate)
        let base = policies.first { $0.name == baseline }
        for index in policies.indices {
            if let worst = rates.min(), let best = rates.max(), best > worst {
                policies[index].qualityGapRecovered = (policies[index].successRate - worst) / (best - worst)
            }
            guard let base else {
                policies[index].paybackNote = "no baseline policy to compare against"
                continue
            }
            let saved = base.cpiUSD - policies[index].cpiUSD
            let monthly = monthlyVolume.map { saved * $0 }
            policies[index].savings = Savings(cpiUSD: saved, pct: base.cpiUSD > 0 ? 100 * saved / base.cpiUSD : nil,
                                              monthlyUSD: monthly, annualUSD: monthly.map { $0 * 12 })
            switch (engineeringCostUSD, monthly) {
            case (nil, _):
                policies[index].paybackNote = "no --engineering-cost given"
            case (_, nil):
                policies[index].paybackNote = "no monthly volume known"
            case let (cost?, monthly?) where monthly > 0:
                policies[index].paybackMonths = cost / monthly
                if !rollout.isEmpty {
                    policies[index].paybackMonthsWithRollout = Payback.months(investment: cost, monthlySavings: monthly, rollout: rollout)
                }
            default:
                policies[index].paybackNote = "never: it saves nothing against \(base.name)"
            }
        }
    }
}

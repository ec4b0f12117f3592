import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// `summary.json` (docs/metrics.md): the machine-readable result of `simulate`.
public enum SummaryJSON {
    public static func render(_ summary: SimulationSummary) -> String {
        json(summary).rendered()
    }

    /// What the report concludes, and the test behind it (docs/statistics.md, "The recommendation").
    package static func recommendation(_ pick: Recommendation?) -> JSONValue {
        guard let pick else { return .null }
        return .object([
            ("verdict", .string(pick.verdict.rawValue)),
            ("policy", pick.policy.map { .string($0.name) } ?? .null),
            ("max_success_drop", .number(Recommendation.maxSuccessDrop)),
            ("quality_shown_p", .number(pick.qualityP)),
            ("success_diff_ci95", .interval(pick.successDiffCI95)),
        ])
    }

    /// Which price list priced the calls, and at which dates.
    private static func prices(_ list: PriceList) -> JSONValue {
        let dated: [JSONValue] = list.dated.map { model, dates in
            let from: [JSONValue] = dates.map { .string(ISOTime.format($0)) }
            return .object([("model", .string(model)), ("from", .array(from))])
        }
        let table: JSONValue = list.litellmTable.map(JSONValue.string) ?? .null
        let repriced: JSONValue = list.repricedAt.map { .string(ISOTime.format($0)) } ?? .null
        return .object([("catalog", .string(list.catalog)), ("litellm_table", table), ("dated", .array(dated)), ("repriced_at", repriced)])
    }

    package static func json(_ summary: SimulationSummary) -> JSONValue {
        .object([
            ("routesim_version", .string(summary.version)),
            ("seed", .integer(summary.seed)),
            ("input", .object([
                ("records", .integer(summary.recordsRead)),
                ("accepted", .integer(summary.accepted)),
                ("rejected", .integer(summary.rejected)),
                ("log_notes", .object([
                    ("unbilled_failed_calls", .integer(summary.logNotes.unbilledFailedCalls)),
                    ("retried_attempts", .integer(summary.logNotes.retriedAttempts)),
                    ("duplicate_calls", .integer(summary.logNotes.duplicateCalls)),
                    ("requests_across_lines", .integer(summary.logNotes.requestsAcrossLines)),
                    ("multi_call_requests", .integer(summary.logNotes.multiCallRequests)),
                    ("repriced_calls", .integer(summary.logNotes.repricedCalls)),
                    ("unanswered_batch_lines", .integer(summary.logNotes.unansweredBatchLines)),
                    ("untimed_calls", .integer(summary.logNotes.untimedCalls)),
                ])),
                ("cost_checks", .object(CostLint.Kind.allCases.map { ($0.key, .integer(summary.costChecks[$0])) })),
                ("missing_shards", .array(summary.missingShards.map(JSONValue.string))),
                ("first_ts", summary.period.map { .string(ISOTime.format($0.lowerBound)) } ?? .null),
                ("last_ts", summary.period.map { .string(ISOTime.format($0.upperBound)) } ?? .null),
            ])),
            ("prices", prices(summary.prices)),
            ("baseline", summary.baseline.map(JSONValue.string) ?? .null),
            ("monthly_volume", .number(summary.monthlyVolume)),
            ("monthly_volume_source", .string(summary.monthlyVolumeSource)),
            ("engineering_cost_usd", .number(summary.engineeringCostUSD)),
            ("review_cost_usd", .number(summary.reviewCostUSD)),
            ("rollout", .array(summary.rollout.map { .number($0) })),
            ("bootstrap", .object([
                ("method", .string("paired percentile bootstrap over \(GroupBootstrap.groupCount) groups of requests hashed by id")),
                ("replicates", .integer(summary.bootstrap.replicates)),
                ("seed", .integer(Int(summary.bootstrap.seed))),
            ])),
            ("mock_replicas", .integer(summary.mockReplicas)),
            ("single_model_success", .object(summary.singleModelSuccess.map { ($0.model, .number($0.rate)) })),
            ("recommendation", recommendation(Recommendation(summary))),
            ("policies", .array(summary.policies.map(policy))),
        ] + (summary.complexity.map { [("complexity_matrix", complexity($0))] } ?? []))
    }

    /// For a log with steps (docs/metrics.md, "The complexity matrix").
    private static func complexity(_ matrix: ComplexityMatrix) -> JSONValue {
        .object(matrix.rows.map { row in
            (row.step, .object([
                ("target", .number(row.target)),
                ("models", .object(row.cells.map { cell in
                    (cell.model, .object([
                        ("outcomes", .integer(cell.outcomes)), ("success_rate", .number(cell.successRate)),
                        ("success_ci95", .interval(cell.successCI95)), ("cost_per_call_usd", .number(cell.costPerCallUSD)),
                        ("latency_p95_ms", .number(cell.latencyP95)), ("meets_target", .bool(cell.meetsTarget)),
                    ]))
                })),
                ("cheapest_meeting_target", row.cheapestMeeting.map(JSONValue.string) ?? .null),
                ("baseline_model", row.baselineModel.map(JSONValue.string) ?? .null),
                ("monthly_saving_usd", .number(row.monthlySavingUSD)),
                ("needs_top_tier", .bool(row.needsTopTier)),
                ("measured_complexity", row.measured.map { .string($0.name) } ?? .null),
                ("declared_complexity", row.declared.map { .string($0.name) } ?? .null),
            ]))
        })
    }

    package static func errorBudget(_ budget: ErrorBudget?) -> JSONValue {
        guard let budget else { return .object([("windows", .integer(0)), ("breaches", .array([]))]) }
        return .object([
            ("windows", .integer(budget.windows)),
            ("window_seconds", .number(budget.windowSeconds)),
            ("breaches", .array(budget.breaches.map { breach in
                .object([
                    ("window_start", .string(ISOTime.format(breach.windowStart))), ("subject", .string(breach.subject)),
                    ("observed", .number(breach.observed)), ("target", .number(breach.target)),
                    ("requests", .integer(breach.requests)), ("burn", .number(breach.burn)),
                ])
            })),
        ])
    }

    package static func policy(_ metrics: PolicyMetrics) -> JSONValue {
        .object([
            ("name", .string(metrics.name)),
            ("requests", .integer(metrics.requests)),
            ("total_cost_usd", .number(metrics.totalCostUSD)),
            ("cpi_usd", .number(metrics.cpiUSD)),
            ("cpi_ci95", .interval(metrics.cpiCI95)),
            ("success_rate", .number(metrics.successRate)),
            ("success_ci95", .interval(metrics.successCI95)),
            ("over_routing_rate", .number(metrics.overRoutingRate)),
            ("under_routing_rate", .number(metrics.underRoutingRate)),
            ("routing_accuracy", .number(metrics.routingAccuracy)),
            ("unsolvable_rate", .number(metrics.unsolvableRate)),
            ("model_mix", .object(metrics.modelMix.map { ($0.model, .number($0.share)) })),
            ("escalation_rate", .number(metrics.escalationRate)),
            ("review_rate", .number(metrics.reviewRate)),
            ("calls", .integer(metrics.calls)),
            ("failed_calls", .integer(metrics.failedCalls)),
            ("mocked_call_share", .number(metrics.mockedCallShare)),
            ("cpi_mock_ci95", .interval(metrics.cpiMockCI95)),
            ("success_mock_ci95", .interval(metrics.successMockCI95)),
            ("latency_ms", metrics.latency.map { latency in
                .object([
                    ("p50", .number(latency.p50)), ("p95", .number(latency.p95)), ("p99", .number(latency.p99)),
                    ("mean", .number(latency.mean)), ("requests", .integer(latency.requests)), ("exact", .bool(latency.exact)),
                ])
            } ?? .null),
            ("quality_gap_recovered", .number(metrics.qualityGapRecovered)),
            ("savings_vs_baseline", metrics.savings.map { savings in
                .object([
                    ("cpi_usd", .number(savings.cpiUSD)), ("cpi_usd_ci95", .interval(savings.cpiUSDCI95)),
                    ("pct", .number(savings.pct)), ("pct_ci95", .interval(savings.pctCI95)),
                    ("monthly_usd", .number(savings.monthlyUSD)), ("monthly_usd_ci95", .interval(savings.monthlyUSDCI95)),
                    ("annual_usd", .number(savings.annualUSD)), ("annual_usd_ci95", .interval(savings.annualUSDCI95)),
                ])
            } ?? .null),
            ("payback_months", .number(metrics.paybackMonths)),
            ("payback_months_ci95", metrics.paybackMonthsCI95.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
            ("payback_months_with_rollout", .number(metrics.paybackMonthsWithRollout)),
            ("payback_note", metrics.paybackNote.map(JSONValue.string) ?? .null),
            ("error_budget", errorBudget(metrics.errorBudget)),
            ("by_category", .object(metrics.byCategory.map { category in
                (category.category, .object([
                    ("requests", .integer(category.requests)), ("success_rate", .number(category.successRate)),
                    ("over_routing_rate", .number(category.overRoutingRate)),
                    ("under_routing_rate", .number(category.underRoutingRate)),
                    ("review_rate", .number(category.reviewRate)), ("cost_usd", .number(category.costUSD)),
                    ("over_routing_excess_usd", .number(category.overRoutingExcessUSD)),
                ]))
            })),
        ] + latencyBudget(metrics) + (metrics.steps.isEmpty ? [] : [("steps", steps(metrics.steps, budgets: metrics.latencyBudget != nil))])
          + (metrics.fleets.isEmpty ? [] : [("fleets", .array(metrics.fleets.map(fleet))),
                                            ("cpi_by_traffic", .array(metrics.cpiByTraffic.map { .object([("scale", .number($0.scale)), ("cpi_usd", .number($0.cpiUSD))]) }))]))
    }

    /// One self-hosted deployment's figures for a policy (docs/capacity.md); absent without one.
    private static func fleet(_ fleet: FleetMetrics) -> JSONValue {
        let days: [JSONValue] = fleet.costByDay.map { .object([("day", .string(String(ISOTime.format($0.day).prefix(10)))), ("cost_usd", .number($0.costUSD))]) }
        let wait: JSONValue = .object([("p50", .number(fleet.waitP50Ms)), ("p95", .number(fleet.waitP95Ms)), ("p99", .number(fleet.waitP99Ms)),
                                       ("mean", .number(fleet.waitMeanMs))])
        return .object([
            ("model", .string(fleet.model)), ("calls", .integer(fleet.calls)), ("gpu_hours", .number(fleet.gpuHours)),
            ("cost_usd", .number(fleet.costUSD)), ("cost_per_request_usd", .number(fleet.costPerRequestUSD)),
            ("mean_replicas", .number(fleet.meanReplicas)), ("peak_replicas", .integer(fleet.peakReplicas)),
            ("utilisation", .number(fleet.utilisation)), ("queue_wait_ms", wait), ("cold_starts", .integer(fleet.coldStarts)),
            ("calls_waiting_for_cold_start", .integer(fleet.callsWaitingForColdStart)),
            ("replicas_by_hour_of_day", .array(fleet.replicasByHourOfDay.map { .number($0) })), ("cost_by_day", .array(days)),
            ("api_alternative_cost_usd", .number(fleet.apiAlternativeCostUSD)),
            ("break_even_traffic_scale", .number(fleet.breakEvenScale)),
            ("cost_by_traffic", .array(fleet.costByTraffic.map { .object([("scale", .number($0.scale)), ("cost_usd", .number($0.costUSD))]) })),
        ])
    }

    /// With an SLO's latency budget only (docs/metrics.md, "summary.json").
    private static func latencyBudget(_ metrics: PolicyMetrics) -> [(String, JSONValue)] {
        guard let budget = metrics.latencyBudget else { return [] }
        return [("latency_budget", .object([("budget_ms", .number(budget.budgetMs)), ("over_budget_share", .number(budget.overShare))]))]
    }

    /// Per step, for a log with steps (docs/metrics.md, "Steps"); absent otherwise.
    private static func steps(_ steps: [StepMetrics], budgets: Bool) -> JSONValue {
        .object(steps.map { step in
            (step.step, .object([
                ("requests", .integer(step.requests)), ("cost_usd", .number(step.costUSD)),
                ("cost_share", .number(step.costShare)), ("cpi_usd", .number(step.cpiUSD)),
                ("success_rate", .number(step.successRate)), ("over_routing_rate", .number(step.overRoutingRate)),
                ("under_routing_rate", .number(step.underRoutingRate)), ("escalation_rate", .number(step.escalationRate)),
                ("review_rate", .number(step.reviewRate)), ("rounds_per_request", .number(step.roundsPerRequest)),
                ("latency_ms", .object([("p50", .number(step.latencyP50)), ("p95", .number(step.latencyP95)),
                                        ("p99", .number(step.latencyP99))])),
                ("model_mix", .object(step.modelMix.map { ($0.model, .number($0.share)) })),
            ] + (budgets ? [("budget_ms", .number(step.budgetMs)), ("over_budget_share", .number(step.overBudgetShare)),
                           ("budget_breaches", step.budgetBreaches.map(JSONValue.integer) ?? .null)] : [])))
        })
    }
}

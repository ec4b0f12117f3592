import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
import Foundation

/// Off-policy estimates of a policy's success rate and CPI from a log whose served model was chosen
/// at random with known probability (`served_by`, `propensity`): inverse propensity scoring (IPS),
/// self-normalised IPS (SNIPS) and, with a mock as the reward model, doubly robust (DR).
/// With w = 1[policy picks the served model] / propensity, per request:
/// IPS = mean(w·r), SNIPS = Σ w·r / Σ w, DR = mean(r̂ + w·(r − r̂)) with r̂ the mock's success
/// probability of the policy's model (where w > 0 that model is the served one).
/// Intervals: the group bootstrap over the same per-request terms.
public struct OffPolicyEstimate {
    /// The records (logs or a store), the catalog and the policy files; `seed` defaults to 1 and
    /// `mockPath` is the reward model of the doubly robust estimate.
    public var inputs: ReplayInputs

    public init(inputs: ReplayInputs) {
        self.inputs = inputs
    }

    /// One policy's estimates.
    public struct Result: Sendable {
        public var policy: String
        public var requests: Int
        /// Share of requests where the policy would have chosen the model production served.
        public var matched: Double
        public var ipsSuccess: Double, ipsSuccessCI95: ClosedRange<Double>?
        public var snipsSuccess: Double?, snipsSuccessCI95: ClosedRange<Double>?
        public var ipsCPI: Double, ipsCPICI95: ClosedRange<Double>?
        public var snipsCPI: Double?, snipsCPICI95: ClosedRange<Double>?
        public var drSuccess: Double?, drSuccessCI95: ClosedRange<Double>?
    }

    /// Per-group sums of the per-request terms, one array per term.
    private struct Sums {
        package var requests, matched, weight, weightedSuccess, weightedCost, doublyRobust: [Double]
        package init() {
            requests = Array(repeating: 0, count: GroupBootstrap.groupCount)
            (matched, weight, weightedSuccess, weightedCost, doublyRobust) = (requests, requests, requests, requests, requests)
        }
    }

    public func run() throws -> [Result] {
        let catalog = try inputs.catalog()
        try catalog.requireNoSelfHosting(.offpolicy)
        let policies = try inputs.policies(catalog)
        for policy in policies where !policy.callsOneModel {
            throw RouteSimError.usage("off-policy estimates need policies that call one model per request; '\(policy.name)' (\(policy.kind.name)) does not")
        }
        let (mock, seed) = try inputs.mockAndSeed(catalog)
        var sums = [Sums](repeating: Sums(), count: policies.count)
        var servedModels = Set<Int>()
        // Policies choosing a model the mock does not describe: no DR estimate for them.
        var withoutRewardModel = Set<Int>()
        var prices = RecordPrices(modelCount: catalog.count)
        do {
            try LogScan.forEachRecord(inputs, catalog: catalog) { record, file in
                func fail(_ field: String, _ reason: String) -> RouteSimError {
                    .invalidInput(file: file, line: record.line, field: field, reason: reason)
                }
                guard record.steps.isEmpty else {
                    throw fail("steps", "off-policy estimates score one-call records, and this one has steps (a production choice per step is not recorded)")
                }
                guard let servedName = record.servedBy, let served = catalog.index(of: servedName) else {
                    throw fail("served_by", "is needed for off-policy estimates: the model production used (a model of the catalog)")
                }
                guard let propensity = record.propensity, propensity > 0 else {
                    throw fail("propensity", "must be given and > 0 for off-policy estimates (the probability production chose served_by)")
                }
                guard let outcome = record.outcomes[served] else { throw fail("outcomes.\(servedName)", "is needed: the served model's outcome") }
                do throws(FieldProblem) { try prices.update(for: record, catalog: catalog) } catch { throw fail(error.field, error.reason) }
                servedModels.insert(served)
                let group = GroupBootstrap.group(ofHash: RecordID.hash(record.id))
                let reward = outcome.success ? 1.0 : 0.0, cost = prices.callCost[served]
                for (index, policy) in policies.enumerated() {
                    let choice = policy.chosenModel(record, catalog: catalog)
                    let weight = choice == served ? 1 / propensity : 0
                    sums[index].requests[group] += 1
                    sums[index].matched[group] += choice == served ? 1 : 0
                    sums[index].weight[group] += weight
                    sums[index].weightedSuccess[group] += weight * reward
                    sums[index].weightedCost[group] += weight * cost
                    if let mock {
                        if let predicted = mock.successProbability(choice, record) {
                            sums[index].doublyRobust[group] += predicted + weight * (reward - predicted)
                        } else {
                            withoutRewardModel.insert(index)
                        }
                    }
                }
            }
        }
        for policy in policies {
            let unsupported = policy.models.subtracting(servedModels)
            if !unsupported.isEmpty {
                let names = unsupported.sorted().map { catalog.models[$0].name }.joined(separator: ", ")
                throw RouteSimError.usage("policy '\(policy.name)' can choose \(names), which the log never served: off-policy estimates need every action the policy takes to have had a chance (propensity > 0)")
            }
        }
        let bootstrap = GroupBootstrap(seed: UInt(bitPattern: seed))
        return zip(policies.indices, zip(policies, sums)).map { index, pair in
            let (policy, sums) = pair
            let requests = bootstrap.sums(sums.requests), weight = bootstrap.sums(sums.weight)
            let success = bootstrap.sums(sums.weightedSuccess), cost = bootstrap.sums(sums.weightedCost)
            let n = sums.requests.reduce(0, +), w = sums.weight.reduce(0, +)
            let ws = sums.weightedSuccess.reduce(0, +), wc = sums.weightedCost.reduce(0, +)
            var result = Result(
                policy: policy.name, requests: Int(n), matched: sums.matched.reduce(0, +) / max(n, 1),
                ipsSuccess: ws / max(n, 1), ipsSuccessCI95: GroupBootstrap.percentileInterval(GroupBootstrap.ratios(success, requests)),
                snipsSuccess: w > 0 ? ws / w : nil, snipsSuccessCI95: GroupBootstrap.percentileInterval(GroupBootstrap.ratios(success, weight)),
                ipsCPI: wc / max(n, 1), ipsCPICI95: GroupBootstrap.percentileInterval(GroupBootstrap.ratios(cost, requests)),
                snipsCPI: w > 0 ? wc / w : nil, snipsCPICI95: GroupBootstrap.percentileInterval(GroupBootstrap.ratios(cost, weight)))
            if mock != nil, !withoutRewardModel.contains(index) {
                result.drSuccess = sums.doublyRobust.reduce(0, +) / max(n, 1)
                result.drSuccessCI95 = GroupBootstrap.percentileInterval(GroupBootstrap.ratios(bootstrap.sums(sums.doublyRobust), requests))
            }
            return result
        }
    }
}

extension Policy {
    /// Whether each request gets exactly one model call (what off-policy estimation can score).
    package var callsOneModel: Bool {
        switch kind {
        case .single, .router, .recordedRouter: return true
        case .cascade, .ensemble, .oracle, .recorded, .pipeline: return false
        }
    }

    /// The model a one-call policy picks for a record, without looking at outcomes (a recorded
    /// router escalates to the next tier of the catalog).
    package func chosenModel(_ record: Record, catalog: ModelCatalog) -> Int? {
        switch kind {
        case let .single(model): return model
        case let .router(router): return router.choose(record)
        case let .recordedRouter(router):
            guard let predicted = record.routerModel else { return router.defaultModel }
            guard let useAtLeast = router.useAtLeast, let reviewAtLeast = router.reviewAtLeast else { return predicted }
            let confidence = record.routerConfidence ?? -1
            if confidence >= min(useAtLeast, reviewAtLeast) { return predicted }
            switch router.below {
            case let .model(model): return model
            case .escalate:
                let tier = catalog.models[predicted].tier
                return catalog.models.indices.filter { catalog.models[$0].tier > tier }.min { catalog.models[$0].tier < catalog.models[$1].tier } ?? predicted
            }
        case .cascade, .ensemble, .oracle, .recorded, .pipeline: return nil
        }
    }
}

extension MockSpec {
    /// The mock's success probability for a model on a record (the DR reward model).
    package func successProbability(_ model: Int?, _ record: Record) -> Double? {
        guard let model, let mock = models.first(where: { $0.model == model }) else { return nil }
        return record.category.flatMap { mock.successByCategory[$0] } ?? mock.success
    }
}

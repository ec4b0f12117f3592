import RouteSimModel
import RouteSimStatistics

extension SupportLogGenerator {
    /// One request of a workflow scenario as a canonical line with steps (docs/log-formats.md,
    /// "Steps"): every model's outcome on every step; a critic step's outcome says whether that
    /// model, judging the served draft, accepts it; rejected drafts get further recorded rounds.
    func workflowLine(_ workflow: WorkflowScenario, index: Int, ts: Double, random: RandomSource, into out: inout String) {
        let category = scenario.categories[random.pick(scenario.categories.map(\.share))]
        let difficulty = random.uniform()
        let scale = random.lognormal(median: 1, sigma: 0.4)
        out += "{\"id\":\"req-\(String(repeating: "0", count: max(0, 7 - "\(index + 1)".count)))\(index + 1)\""
        out += ",\"ts\":\"\(ISOTime.format(ts))\",\"category\":\"\(category.name)\",\"steps\":["
        var first = true
        // The draft each critic judges: whether the served (strongest) model's draft of each round is good.
        var draftGood: [String: Bool] = [:]
        func emit(_ step: WorkflowScenario.Step, round: Int, after: [String], difficultyShift: Double) -> [Bool] {
            let input = max(5, Int(step.input * scale * (0.7 + 0.6 * random.uniform())))
            let output = max(1, Int(step.output * scale * (0.7 + 0.6 * random.uniform())))
            out += first ? "" : ","
            first = false
            out += "{\"name\":\"\(step.name)\""
            if round > 1 || after != defaultAfter(step, workflow) {
                out += ",\"after\":[\(after.map { "\"\($0)\"" }.joined(separator: ","))]"
            }
            out += ",\"input_tokens\":\(input),\"output_tokens\":\(output),\"outcomes\":{"
            var verdicts: [Bool] = []
            let felt = max(0, difficulty * step.difficultyWeight + difficultyShift)
            for (model, name) in scenario.models.enumerated() {
                let good = felt + random.gaussian(sigma: 0.04) < step.capability[model]
                // A critic judges the served draft; it is right with its capability.
                let success = step.criticOf.map { (draftGood[$0] ?? true) == good } ?? good
                verdicts.append(success)
                let confidence = good ? random.beta(8, 2) : random.beta(3, 4)
                let latency = random.lognormal(median: scenario.medianLatency[model] * step.latencyScale * (0.5 + Double(output) / 400), sigma: 0.35)
                out += model == 0 ? "" : ","
                out += "\"\(name)\":{\"success\":\(success),\"latency_ms\":\(Format.fixed(latency, 1)),\"confidence\":\(Format.fixed(confidence, 3))}"
            }
            out += "}}"
            return verdicts
        }
        for step in workflow.steps {
            let parallel = step.parallelAfter != nil && random.bernoulli(step.parallelShare)
            let after = parallel ? step.parallelAfter! : step.after
            let verdicts = emit(step, round: 1, after: after, difficultyShift: 0)
            if step.criticOf == nil { draftGood[step.name] = verdicts.last! }
            guard let target = step.criticOf, let revised = workflow.steps.first(where: { $0.name == target }) else { continue }
            var rejected = verdicts.contains(false)
            var round = 1
            while rejected && round < step.rounds {
                round += 1
                // A revision is easier: the critic's feedback takes 0.15 off the difficulty each round.
                let drafts = emit(revised, round: round, after: [step.name], difficultyShift: -0.15 * Double(round - 1))
                draftGood[target] = drafts.last!
                rejected = emit(step, round: round, after: [target], difficultyShift: 0).contains(false)
            }
        }
        out += "]}\n"
    }

    /// The `after` a step gets without saying: the step listed before it.
    private func defaultAfter(_ step: WorkflowScenario.Step, _ workflow: WorkflowScenario) -> [String] {
        guard let position = workflow.steps.firstIndex(where: { $0.name == step.name }), position > 0 else { return [] }
        return [workflow.steps[position - 1].name]
    }
}

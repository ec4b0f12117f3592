/// The charts of `roi.md`: today's bill against the new design's, and when the investment pays back.
public enum ROICharts {
    public static func charts(for roi: ROIResult) -> [Chart] {
        var charts = [monthlyCost(roi)]
        if let payback = payback(roi) { charts.append(payback) }
        return charts
    }

    static func monthlyCost(_ roi: ROIResult) -> Chart {
        let models = roi.byModel.map(\.model)
        var data = "$bill << EOD\ndesign " + models.map(Chart.quoted).joined(separator: " ") + "\n"
        data += Chart.quoted("today (all \(roi.scenario.baseline))") + " "
        data += models.map { Chart.number($0 == roi.scenario.baseline ? roi.baselineMonthlyUSD / 1000 : 0) }.joined(separator: " ") + "\n"
        data += Chart.quoted("new mix") + " " + roi.byModel.map { Chart.number($0.monthlyUSD / 1000) }.joined(separator: " ") + "\n"
        return Chart(
            name: "roi-monthly-cost",
            altText: "Monthly cost today (\(Format.usd(roi.baselineMonthlyUSD))) against the new traffic mix (\(Format.usd(roi.monthlyUSD))), split by model.",
            script: data + """
                EOD
                set title "Monthly inference cost: today against the new mix"
                set ylabel "thousand USD per month"
                set style data histograms
                set style histogram rowstacked
                set style fill solid 0.85 border -1
                set boxwidth 0.5
                set yrange [0:*]
                set key outside right top
                plot for [i=2:\(models.count + 1)] $bill using i:xtic(1) title columnhead(i)

                """)
    }

    static func payback(_ roi: ROIResult) -> Chart? {
        guard let cost = roi.scenario.engineeringCostUSD, cost > 0, roi.savingsMonthlyUSD > 0 else { return nil }
        let slowest = roi.paybackMonthsWithRollout ?? roi.paybackMonths ?? 12
        let months = min(120, max(12, Int((slowest * 1.5).rounded(.up))))
        var data = "$cumulative << EOD\n"
        var total = 0.0
        data += "0 0\n"
        for month in 1...months {
            let rollout = roi.scenario.rollout
            total += roi.savingsMonthlyUSD * (rollout.isEmpty ? 1 : rollout[min(month, rollout.count) - 1])
            data += "\(month) \(Chart.number(total / 1000))\n"
        }
        let ramp = roi.scenario.rollout.isEmpty ? "" : " with the rollout ramp"
        return Chart(
            name: "roi-payback",
            altText: "Cumulative savings\(ramp); the investment of \(Format.usd(cost)) is paid back where the line crosses the dashed line.",
            script: data + """
                EOD
                set title "When the investment pays back\(ramp)"
                set xlabel "months after launch"
                set ylabel "cumulative savings (thousand USD)"
                set xrange [0:\(months)]
                set yrange [0:*]
                set key top left
                plot \(cost / 1000) with lines dt 2 lw 2 lc rgb "#D55E00" title "engineering cost", \\
                     $cumulative using 1:2 with lines lt 1 title "savings"

                """)
    }
}

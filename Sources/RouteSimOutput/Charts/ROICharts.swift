import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// The charts of `roi.md`: today's bill against the new design's, and when the investment pays back.
public enum ROICharts {
    public static func charts(for roi: ROIResult) -> [Chart] {
        var charts = [monthlyCost(roi)]
        if let payback = payback(roi) { charts.append(payback) }
        return charts
    }

    package static func monthlyCost(_ roi: ROIResult) -> Chart {
        let models = roi.byModel.map(\.model)
        var data = "$bill << EOD\ndesign " + models.map(Chart.datum).joined(separator: " ") + "\n"
        data += Chart.datum("today (all \(roi.scenario.baseline))") + " "
        data += models.map { Chart.number($0 == roi.scenario.baseline ? roi.baselineMonthlyUSD / 1000 : 0) }.joined(separator: " ") + "\n"
        data += Chart.datum("new mix") + " " + roi.byModel.map { Chart.number($0.monthlyUSD / 1000) }.joined(separator: " ") + "\n"
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

    package static func payback(_ roi: ROIResult) -> Chart? {
        guard let cost = roi.scenario.engineeringCostUSD, cost > 0, roi.savingsMonthlyUSD > 0 else { return nil }
        let ramp = roi.scenario.rollout.isEmpty ? "" : " with the rollout ramp"
        return PaybackChart.make(
            name: "roi-payback", series: [("savings", roi.savingsMonthlyUSD)], investment: cost, rollout: roi.scenario.rollout,
            slowestPayback: roi.paybackMonthsWithRollout ?? roi.paybackMonths,
            altText: "Cumulative savings\(ramp); the investment of \(Format.usd(cost)) is paid back where the line crosses the dashed line.")
    }
}

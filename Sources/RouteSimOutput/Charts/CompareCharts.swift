import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// The chart of `compare.md`: cost per request and success rate of baseline and candidate, with intervals.
public enum CompareCharts {
    public static func charts(for result: RouteSimAnalysis.ComparisonResult) -> [Chart] {
        let base = result.base, cand = result.cand
        func row(_ label: String, _ metrics: PolicyMetrics, _ color: Int) -> String {
            let cpi = metrics.cpiCI95 ?? (metrics.cpiUSD...metrics.cpiUSD)
            let success = metrics.successCI95 ?? (metrics.successRate...metrics.successRate)
            return "\(Chart.datum(label)) \(Chart.number(metrics.cpiUSD * 1000)) \(Chart.number(cpi.lowerBound * 1000)) "
                + "\(Chart.number(cpi.upperBound * 1000)) \(Chart.number(metrics.successRate * 100)) "
                + "\(Chart.number(success.lowerBound * 100)) \(Chart.number(success.upperBound * 100)) \(color)\n"
        }
        // The success axis spans at least 10 points, so that a difference of 0.05 points looks as small as it is.
        let bounds = [base, cand].flatMap { [($0.successCI95?.lowerBound ?? $0.successRate) * 100, ($0.successCI95?.upperBound ?? $0.successRate) * 100] }
        let middle = ((bounds.min() ?? 0) + (bounds.max() ?? 100)) / 2
        let half = max(5, ((bounds.max() ?? 100) - (bounds.min() ?? 0)) / 2 + 1)
        let low = max(0, min(middle - half, 100 - 2 * half)), high = min(100, max(middle + half, 2 * half))
        let data = "$pair << EOD\n" + row("\(result.baseline) (baseline)", base, 6) + row("\(result.candidate) (candidate)", cand, 1)
        return [Chart(
            name: "compare",
            altText: "Cost per 1,000 requests (left) and success rate (right) of \(result.baseline) and \(result.candidate), with 95% intervals.",
            script: data + """
                EOD
                set multiplot layout 1,2 title "Candidate against baseline, on the same requests"
                set style fill solid 0.85 border -1
                set xrange [-0.6:1.6]
                set xtics scale 0 font ",9"
                set title "cost per 1,000 requests (USD)"
                set yrange [0:*]
                plot $pair using 0:2:3:4:(0.6):8:xtic(1) with boxerrorbars lc variable
                set title "success rate (%), points with 95% intervals"
                set yrange [\(Chart.number(low)):\(Chart.number(high))]
                plot $pair using 0:5:6:7:8:xtic(1) with yerrorbars pt 7 ps 2 lw 2 lc variable
                unset multiplot

                """)]
    }
}

import RouteSimAnalysis
import RouteSimModel

/// The complexity matrix as a chart: steps down, models across, each cell coloured by the model's
/// success rate on the step and labelled with it, a tick where it meets the step's target.
package enum ComplexityChart {
    package static func make(_ matrix: ComplexityMatrix, models: [String]) -> Chart {
        let columns = models.filter { model in matrix.rows.contains { $0.cells.contains { $0.model == model } } }
        var data = "$cells << EOD\n"
        for (row, step) in matrix.rows.enumerated() {
            for (column, model) in columns.enumerated() {
                guard let cell = step.cells.first(where: { $0.model == model }) else { continue }
                let label = Format.percent(cell.successRate) + (cell.meetsTarget ? " ✓" : "")
                data += "\(column) \(row) \(Chart.number(cell.successRate * 100)) \(Chart.datum(label))\n"
            }
        }
        let xtics = columns.enumerated().map { "\(Chart.quoted($1)) \($0)" }.joined(separator: ", ")
        let ytics = matrix.rows.enumerated().map { "\(Chart.quoted($1.step)) \($0)" }.joined(separator: ", ")
        let lowest = matrix.rows.flatMap(\.cells).map(\.successRate).min() ?? 0
        return Chart(
            name: "complexity-matrix",
            altText: "Success rate of each model (columns) on each step (rows), darker for higher; a tick marks the models that meet the step's target.",
            script: data + """
                EOD
                set title "Which model each step needs (success rate; ✓ meets the step's target)"
                set xtics (\(xtics)) scale 0
                set ytics (\(ytics)) scale 0
                set yrange [\(Double(matrix.rows.count) - 0.5):-0.5]
                set xrange [-0.5:\(Double(columns.count) - 0.5)]
                set cbrange [\(Chart.number((lowest * 100).rounded(.down))):100]
                set cblabel "success rate (%)"
                set palette defined (0 "#F0E442", 1 "#56B4E9", 2 "#0072B2")
                unset key
                plot $cells using 1:2:3 with image, \\
                     $cells using 1:2:4 with labels tc rgb "#000000"

                """)
    }
}

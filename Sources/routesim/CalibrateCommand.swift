import ArgumentParser
import RouteSimCore

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Estimate a mock file (for --mock) from the outcomes a log did record.",
        discussion: """
            Success per model and category (Beta posterior mean, with n and the 95% interval in \
            comments), lognormal latency, output ratio and Beta confidence, fitted with GSL.

            Example:
              routesim calibrate --log week.jsonl --models models.yaml --out out/
            writes out/mock.yaml.
            """)

    @OptionGroup var input: InputOptions

    @Option(help: "Categories with fewer outcomes than this get no rate of their own.")
    var minPerCategory: Int = 30

    @Option(help: "Output directory: the mock file is written there as mock.yaml.")
    var out: String = "out"

    func validate() throws { try input.requireRecords() }

    func run() throws {
        try runReportingErrors {
            var calibration = Calibration(inputs: input.replayInputs())
            calibration.minimumPerCategory = minPerCategory
            let text = try calibration.run()
            try OutputFiles.makeDirectory(out)
            try OutputFiles.write(text, to: "\(out)/mock.yaml")
            print("wrote \(out)/mock.yaml")
        }
    }
}

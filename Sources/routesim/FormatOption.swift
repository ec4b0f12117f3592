import ArgumentParser
import RouteSimCore

/// `--format`, shared by every command that reads logs.
struct FormatOption: ParsableArguments {
    @Option(help: "Log format: canonical, csv, routerbench, otel-genai, litellm, openai-batch (also vLLM), langfuse, helicone (default: from the file).",
            transform: { text in
                guard let format = LogFormat(rawValue: text) else {
                    throw ValidationError("--format must be one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return format
            })
    var format: LogFormat?
}

/// Every error routesim reports, each with the sentence its reader sees.
public enum RouteSimError: Error, Equatable, CustomStringConvertible {
    /// An input file is wrong at a place: file, line (0 when unknown), field, and why.
    case invalidInput(file: String, line: Int, field: String, reason: String)
    /// A file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// An output file or directory could not be written.
    case unwritableFile(path: String, reason: String)
    /// The command line asks for something that cannot be done.
    case usage(String)
    /// routesim itself failed; a bug to report.
    case internalFailure(String)

    public var description: String {
        switch self {
        case let .invalidInput(file, line, field, reason):
            let place = line > 0 ? "\(file):\(line)" : file
            return field.isEmpty ? "\(place): \(reason)" : "\(place): \(field): \(reason)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .unwritableFile(path, reason):
            return "cannot write \(path): \(reason)"
        case let .usage(message):
            return message
        case let .internalFailure(message):
            return "internal error: \(message) (please report this)"
        }
    }

    /// The process exit code docs/commands.md gives this error.
    public var exitCode: Int32 {
        switch self {
        case .invalidInput, .unreadableFile, .unwritableFile, .usage: return 2
        case .internalFailure: return 3
        }
    }
}

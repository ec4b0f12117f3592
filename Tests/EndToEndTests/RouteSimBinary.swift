import Foundation

/// Runs the built `routesim` executable, as a user would from a shell.
struct RouteSimBinary {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root, found from this source file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let path = root + "/.build/debug/routesim"

    /// Runs `routesim arguments…` in `directory`, with `environment` added to this process's.
    static func run(_ arguments: [String], in directory: String = root, environment: [String: String] = [:]) throws -> Run {
        let inherited = ProcessInfo.processInfo.environment.filter { $0.key != "GITHUB_STEP_SUMMARY" }
        return try shell([path] + arguments, in: directory, environment: inherited.merging(environment) { $1 })
    }

    /// Runs a command line through bash, with `routesim` on the PATH.
    static func bash(_ command: String, in directory: String) throws -> Run {
        try shell(["/bin/bash", "-c", command], in: directory,
                  environment: ["PATH": URL(fileURLWithPath: path).deletingLastPathComponent().path + ":/usr/bin:/bin"])
    }

    private static func shell(_ arguments: [String], in directory: String, environment: [String: String]? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A fresh temporary directory with inline files.
struct Scratch {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "routesim-e2e-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func file(_ name: String, _ text: String) -> String {
        let full = "\(path)/\(name)"
        try! FileManager.default.createDirectory(atPath: URL(fileURLWithPath: full).deletingLastPathComponent().path,
                                                 withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: "\(path)/\(name)", encoding: .utf8)) ?? ""
    }
}

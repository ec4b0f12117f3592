import Foundation
import Testing
@testable import RouteSimAnalysis
@testable import RouteSimCore
@testable import RouteSimEngine
@testable import RouteSimModel
@testable import RouteSimOutput
@testable import RouteSimStatistics

/// Whole files that used to lose records without a word, hang or take quadratic time.
@Suite("Log files: truncated gzip, long lines, directories and pipes")
struct LogFileEdgeCaseTests {
    /// `count` valid canonical lines.
    static func lines(_ count: Int) -> String {
        (0..<count).map { LogReadingTests.line(id: "r\($0)") }.joined(separator: "\n") + "\n"
    }

    /// The bytes of `text` gzipped by the system's gzip.
    static func gzip(_ text: String) throws -> [UInt8] {
        let fixture = Fixture()
        let path = fixture.file("plain", text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-9", "-n", path]
        try process.run()
        process.waitUntilExit()
        return Array(FileManager.default.contents(atPath: path + ".gz")!)
    }

    static func replay(bytes: [UInt8], name: String = "log.jsonl.gz", skipInvalid: Bool = true) throws -> Replay.Result {
        let fixture = Fixture()
        let path = "\(fixture.directory)/\(name)"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        var replay = Replay(catalog: Fixture.catalog, policies: [Policy(name: "p", kind: .single(model: 0))])
        replay.skipInvalid = skipInvalid
        return try replay.run(files: [path])
    }

    static func refusal(_ body: () throws -> Void) -> (line: Int, reason: String)? {
        do {
            try body()
        } catch let RouteSimError.invalidInput(_, line, _, reason) {
            return (line, reason)
        } catch {
            return (-1, "\(error)")
        }
        return nil
    }

    @Test func anIntactGzipIsReadWhole() throws {
        let result = try Self.replay(bytes: try Self.gzip(Self.lines(2000)))
        #expect(result.recordsRead == 2000 && result.totals.accepted == 2000)
    }

    @Test(arguments: [0.5, 0.9, 0.999])
    func aTruncatedGzipIsRefusedEvenWhenSkipping(share: Double) throws {
        let whole = try Self.gzip(Self.lines(2000))
        let cut = Array(whole.prefix(Int(Double(whole.count) * share)))
        let refusal = Self.refusal { _ = try Self.replay(bytes: cut) }
        #expect(refusal?.reason.contains("ends early") == true, "\(String(describing: refusal))")
        #expect((refusal?.line ?? 0) > 0)
    }

    @Test func aGzipHeaderAloneIsRefused() throws {
        let header = Array(try Self.gzip(Self.lines(10)).prefix(10))
        let refusal = Self.refusal { _ = try Self.replay(bytes: header) }
        #expect(refusal?.reason.contains("ends early") == true, "\(String(describing: refusal))")
    }

    @Test func aGzipWhoseChecksumFailsIsRefused() throws {
        var bytes = try Self.gzip(Self.lines(100))
        bytes[bytes.count - 6] ^= 0xFF  // the CRC-32 of the trailer
        let refusal = Self.refusal { _ = try Self.replay(bytes: bytes) }
        #expect(refusal?.reason.contains("corrupt") == true, "\(String(describing: refusal))")
    }

    @Test func aLineLongerThanTheLimitIsRefusedWithItsLine() throws {
        let fixture = Fixture()
        let long = LogReadingTests.line(#","pad":"\#(String(repeating: "x", count: 5000))""#)
        let path = fixture.file("log.jsonl", LogReadingTests.line(id: "ok") + "\n" + long + "\n")
        let reader = try ChunkedFileReader(path: path, chunkSize: 256, maxLineBytes: 2048)
        let refusal = Self.refusal { while try reader.next() != nil {} }
        #expect(refusal?.line == 2)
        #expect(refusal?.reason.contains("longer than") == true)
    }

    @Test func aLineManyChunksLongIsReadInOnePiece() throws {
        let fixture = Fixture()
        let long = LogReadingTests.line(#","pad":"\#(String(repeating: "x", count: 100_000))""#)
        let path = fixture.file("log.jsonl", long + "\n" + LogReadingTests.line(id: "b") + "\n")
        let reader = try ChunkedFileReader(path: path, chunkSize: 64)
        var lines = 0
        while let chunk = try reader.next() {
            guard case let .jsonLines(bytes, length) = chunk.content else { continue }
            lines += bytes[..<length].filter { $0 == 10 }.count
        }
        #expect(lines == 2)
    }

    @Test func aDirectoryIsNamedAsOne() throws {
        let fixture = Fixture()
        #expect(throws: RouteSimError.unreadableFile(path: fixture.directory, reason: "it is a directory; give the log files in it (for example dir/*.jsonl)")) {
            _ = try LogFormat.detect(path: fixture.directory)
        }
    }

    @Test func aPipeWithoutFormatIsRefusedInsteadOfHanging() throws {
        let fixture = Fixture()
        let path = "\(fixture.directory)/pipe.jsonl"
        #expect(mkfifo(path, 0o600) == 0)
        #expect {
            _ = try LogFormat.detect(path: path)
        } throws: { error in
            "\(error)".contains("--format")
        }
    }

    @Test func anUnknownExtensionSuggestsFormatCanonical() throws {
        let fixture = Fixture()
        let path = fixture.file("app.log", LogReadingTests.line() + "\n")
        #expect {
            _ = try LogFormat.detect(path: path)
        } throws: { error in
            "\(error)".contains("--format canonical")
        }
    }
}

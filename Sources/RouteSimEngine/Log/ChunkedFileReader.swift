import RouteSimModel
import RouteSimStatistics
import CRecordParser
import CZlib
import Foundation

/// Streams a text file (plain or gzip, decompressed on the fly) as chunks of whole lines.
/// A gzip stream that ends early or fails its check is refused, never read in part; a line
/// longer than `maxLineBytes` is refused (docs/log-formats.md, "Limits").
package final class ChunkedFileReader {
    package let path: String
    private let file: gzFile
    private let chunkSize: Int
    private let maxLineBytes: Int
    /// Refuse a file that holds one JSON document over many lines (a JSON Lines reader's input).
    private let jsonLines: Bool
    private var carry: [UInt8] = []
    private var nextLine = 1
    private var finished = false

    /// The largest line a log may hold.
    package static let defaultMaxLineBytes = 64 << 20

    /// Chunk boundaries depend only on the file and `chunkSize`, never on threads.
    package init(path: String, chunkSize: Int = 1 << 22, maxLineBytes: Int = ChunkedFileReader.defaultMaxLineBytes,
         jsonLines: Bool = false) throws {
        try InputFile.checkIsFile(path)
        guard let file = gzopen(path, "rb") else {
            throw RouteSimError.unreadableFile(path: path, reason: "it cannot be opened (\(String(cString: strerror(errno))))")
        }
        self.path = path
        self.file = file
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
        self.jsonLines = jsonLines
        // zlib copies a read of less than twice its buffer through that buffer; with 64 KiB, a
        // chunk's read of a plain file goes straight into the chunk (docs/performance.md).
        gzbuffer(file, 1 << 16)
    }

    deinit { gzclose(file) }

    /// The next chunk of whole lines, or nil at the end of the file.
    package func next() throws -> LogChunk? {
        let padding = Int(rp_padding())
        var capacity = max(chunkSize, carry.count) + padding
        var length = carry.count
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            carry.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            count = capacity
        }
        carry = []
        // The carried bytes hold no newline: search only what is read after them (linear in the line).
        var searched = length
        var cut = 0
        while true {
            if !finished && length < capacity - padding {
                let got = bytes.withUnsafeMutableBytes { gzread(file, $0.baseAddress! + length, UInt32(capacity - padding - length)) }
                if got <= 0 {
                    let lines = bytes.withUnsafeBytes { Self.newlines(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
                    try checkEnd(got, line: nextLine + lines)
                }
                length += Int(max(got, 0))
                if got == 0 { finished = true }
                continue
            }
            if finished {
                cut = length
                break
            }
            if let newline = bytes[searched..<length].lastIndex(of: 10) {
                cut = newline + 1
                break
            }
            searched = length
            guard length <= maxLineBytes else {
                throw RouteSimError.invalidInput(
                    file: path, line: nextLine, field: "",
                    reason: "the line is longer than \(maxLineBytes >> 20) MiB, the largest a log line may be (a record per line; see docs/log-formats.md, Limits)")
            }
            // One line longer than a chunk: grow the buffer and read on to its end.
            capacity += chunkSize
            bytes.append(contentsOf: repeatElement(0, count: chunkSize))
        }
        guard cut > 0 else { return nil }
        carry = Array(bytes[cut..<length])
        bytes.withUnsafeMutableBytes { _ = memset($0.baseAddress! + cut, 0, padding) }
        if jsonLines && nextLine == 1 { try JSONLinesShape.check(bytes[..<cut], file: path) }
        let chunk = LogChunk(file: path, firstLine: nextLine, content: .jsonLines(bytes: bytes, length: cut))
        nextLine += bytes.withUnsafeBytes { Self.lineCount(UnsafeRawBufferPointer(rebasing: $0[0..<cut])) }
        return chunk
    }

    /// After a read of `got` ≤ 0 bytes: a read error, a gzip stream cut short, or a failed check is
    /// refused (zlib reports a cut-short stream only as a soft error at the end).
    private func checkEnd(_ got: Int32, line: Int) throws {
        var code: Int32 = 0
        let message = String(cString: gzerror(file, &code))
        guard got < 0 || code != Z_OK else { return }
        let reason = code == Z_BUF_ERROR
            ? "the gzip stream ends early, at this line: the file is truncated (a copy cut short?) and is not used"
            : code == Z_ERRNO ? "it cannot be read: \(String(cString: strerror(errno)))"
            : "the gzip data is corrupt at this line (\(message)) and the file is not used"
        throw RouteSimError.invalidInput(file: path, line: line, field: "", reason: reason)
    }

    package static func newlines(_ text: UnsafeRawBufferPointer) -> Int {
        guard text.count > 0 else { return 0 }
        var count = 0
        var position = text.baseAddress!
        let end = position + text.count
        while position < end, let found = memchr(position, 10, end - position) {
            count += 1
            position = UnsafeRawPointer(found) + 1
        }
        return count
    }

    /// Lines in `text`, counting a last line without its newline.
    package static func lineCount(_ text: UnsafeRawBufferPointer) -> Int {
        let count = newlines(text)
        return text[text.count - 1] == 10 ? count : count + 1
    }
}

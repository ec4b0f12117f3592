import CRecordParser
import CZlib
import Foundation

/// Streams a text file (plain or gzip, decompressed on the fly) as chunks of whole lines.
final class ChunkedFileReader {
    let path: String
    private let file: gzFile
    private let chunkSize: Int
    private var carry: [UInt8] = []
    private var nextLine = 1
    private var finished = false

    /// Chunk boundaries depend only on the file and `chunkSize`, never on threads.
    init(path: String, chunkSize: Int = 1 << 22) throws {
        guard let file = gzopen(path, "rb") else {
            throw RouteSimError.unreadableFile(path: path, reason: "no such file, or it cannot be opened")
        }
        self.path = path
        self.file = file
        self.chunkSize = chunkSize
        gzbuffer(file, 1 << 20)
    }

    deinit { gzclose(file) }

    /// The next chunk of whole lines, or nil at the end of the file.
    func next() throws -> LogChunk? {
        let padding = Int(rp_padding())
        var capacity = max(chunkSize, carry.count) + padding
        var length = carry.count
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            _ = carry.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            count = capacity
        }
        carry = []
        var cut = 0
        while true {
            if !finished && length < capacity - padding {
                let got = bytes.withUnsafeMutableBytes { gzread(file, $0.baseAddress! + length, UInt32(capacity - padding - length)) }
                guard got >= 0 else {
                    var code: Int32 = 0
                    throw RouteSimError.unreadableFile(path: path, reason: String(cString: gzerror(file, &code)))
                }
                length += Int(got)
                if got == 0 { finished = true }
                continue
            }
            if finished {
                cut = length
                break
            }
            if let newline = bytes[..<length].lastIndex(of: 10) {
                cut = newline + 1
                break
            }
            // One line longer than a chunk: grow the buffer and read on to its end.
            capacity += chunkSize
            bytes.append(contentsOf: repeatElement(0, count: chunkSize))
        }
        guard cut > 0 else { return nil }
        carry = Array(bytes[cut..<length])
        bytes.withUnsafeMutableBytes { _ = memset($0.baseAddress! + cut, 0, padding) }
        let chunk = LogChunk(file: path, firstLine: nextLine, content: .jsonLines(bytes: bytes, length: cut))
        nextLine += bytes.withUnsafeBytes { Self.lineCount(UnsafeRawBufferPointer(rebasing: $0[0..<cut])) }
        return chunk
    }

    /// Lines in `text`, counting a last line without its newline.
    static func lineCount(_ text: UnsafeRawBufferPointer) -> Int {
        var count = 0
        var position = text.baseAddress!
        let end = position + text.count
        while position < end, let found = memchr(position, 10, end - position) {
            count += 1
            position = UnsafeRawPointer(found) + 1
        }
        return text[text.count - 1] == 10 ? count : count + 1
    }
}

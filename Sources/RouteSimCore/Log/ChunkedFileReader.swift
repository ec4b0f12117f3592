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
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)

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

    deinit {
        gzclose(file)
        scratch.deallocate()
    }

    /// The next chunk of whole lines, or nil at the end of the file.
    func next() throws -> LogChunk? {
        var bytes = carry
        carry = []
        var target = chunkSize
        let cut: Int
        while true {
            if !finished && bytes.count < target {
                try read(into: &bytes, upTo: target)
                continue
            }
            if finished {
                cut = bytes.count
                break
            }
            if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) {
                cut = newline + 1
                break
            }
            target += chunkSize  // one line longer than a chunk: read on to its end
        }
        guard cut > 0 else { return nil }
        carry = Array(bytes[cut...])
        bytes.removeSubrange(cut...)
        bytes.append(contentsOf: repeatElement(0, count: Int(rp_padding())))
        let chunk = LogChunk(file: path, firstLine: nextLine, content: .jsonLines(bytes: bytes, length: cut))
        nextLine += Self.lineCount(bytes, length: cut)
        return chunk
    }

    private func read(into bytes: inout [UInt8], upTo target: Int) throws {
        let wanted = min(target - bytes.count, scratch.count)
        let got = gzread(file, scratch.baseAddress, UInt32(wanted))
        guard got >= 0 else {
            var code: Int32 = 0
            throw RouteSimError.unreadableFile(path: path, reason: String(cString: gzerror(file, &code)))
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<Int(got)]))
        if got == 0 { finished = true }
    }

    /// Lines in `bytes[..<length]`, counting a last line without its newline.
    static func lineCount(_ bytes: [UInt8], length: Int) -> Int {
        var count = 0
        bytes.withUnsafeBytes { buffer in
            var position = buffer.baseAddress!
            let end = position + length
            while position < end, let found = memchr(position, 10, end - position) {
                count += 1
                position = UnsafeRawPointer(found) + 1
            }
        }
        return bytes[length - 1] == 10 ? count : count + 1
    }
}

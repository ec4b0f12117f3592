import RouteSimModel
import RouteSimStatistics
/// An RFC 4180 CSV text read row by row as byte ranges into the text: no allocation per field.
/// Quoted fields are unescaped into a scratch buffer that the row reuses.
package struct CSVTable {
    /// One row: its fields as byte ranges, valid until the next call to `next()`.
    package struct Row {
        package var line: Int
        /// Where the row's text starts and ends in the file (for messages and `rejected.jsonl`).
        package var start: Int
        package var end: Int
        fileprivate(set) var fields: [Range<Int>] = []
        fileprivate(set) var unescaped: [UInt8] = []
        fileprivate(set) var quoted: [Bool] = []

        package var count: Int { fields.count }
    }

    package let bytes: [UInt8]
    package let file: String
    private var position = 0
    private var line = 1
    private var row = Row(line: 0, start: 0, end: 0)

    package init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// The bytes of field `index` of `row`.
    package func field(_ index: Int, of row: Row) -> ArraySlice<UInt8> {
        row.quoted[index] ? row.unescaped[row.fields[index]] : bytes[row.fields[index]]
    }

    /// The next non-blank row, or nil at the end.
    package mutating func next() throws -> Row? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        while position < bytes.count {
            row.line = line
            row.start = position
            row.fields.removeAll(keepingCapacity: true)
            row.quoted.removeAll(keepingCapacity: true)
            row.unescaped.removeAll(keepingCapacity: true)
            var fieldStart = position
            var inQuotes = false, wasQuoted = false
            var quotedStart = 0
            func endField(_ end: Int) {
                if wasQuoted {
                    row.fields.append(quotedStart..<row.unescaped.count)
                } else {
                    row.fields.append(fieldStart..<(end > fieldStart && bytes[end - 1] == cr ? end - 1 : end))
                }
                row.quoted.append(wasQuoted)
            }
            while position < bytes.count {
                let byte = bytes[position]
                if inQuotes {
                    if byte == quote {
                        if position + 1 < bytes.count, bytes[position + 1] == quote {
                            row.unescaped.append(quote)
                            position += 1
                        } else {
                            inQuotes = false
                        }
                    } else {
                        if byte == newline { line += 1 }
                        row.unescaped.append(byte)
                    }
                } else if byte == quote && position == fieldStart {
                    inQuotes = true
                    wasQuoted = true
                    quotedStart = row.unescaped.count
                } else if byte == comma {
                    endField(position)
                    fieldStart = position + 1
                    wasQuoted = false
                } else if byte == newline {
                    break
                }
                position += 1
            }
            if inQuotes {
                throw RouteSimError.invalidInput(file: file, line: row.line, field: "column \(row.fields.count + 1)", reason: "a quoted field is never closed (the file may be truncated)")
            }
            endField(position)
            row.end = position > row.start && bytes[position - 1] == cr ? position - 1 : position
            position += 1
            line += 1
            let blank = row.fields.count == 1 && row.fields[0].isEmpty && !row.quoted[0]
            if !blank { return row }
        }
        return nil
    }
}

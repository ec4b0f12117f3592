/// An RFC 4180 CSV text split into rows of fields, each row with the line it starts on.
struct CSVTable {
    struct Row {
        var line: Int
        var fields: [String]
        var raw: String
    }

    var rows: [Row] = []

    /// Splits `bytes`; a quote left open at the end is reported at the line where it opened.
    init(bytes: [UInt8], file: String) throws {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, rowLine = 1, rowStart = 0
        var index = 0
        var inQuotes = false
        func endRow(at end: Int) {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            var rawEnd = end
            if rawEnd > rowStart, bytes[rawEnd - 1] == cr { rawEnd -= 1 }
            let raw = String(decoding: bytes[rowStart..<rawEnd], as: UTF8.self)
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields, raw: raw)) }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
            } else if byte == quote && field.isEmpty {
                inQuotes = true
            } else if byte == comma {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if byte == newline {
                if field.last == cr { field.removeLast() }
                endRow(at: index)
                line += 1
                rowLine = line
                rowStart = index + 1
            } else {
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw RouteSimError.invalidInput(file: file, line: rowLine, field: "", reason: "a quoted field is never closed (the file may be truncated)")
        }
        if !field.isEmpty || !fields.isEmpty { endRow(at: bytes.count) }
    }
}

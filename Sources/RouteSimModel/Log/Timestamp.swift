import CRecordParser

/// Seconds since the Unix epoch of a date (`2026-12-01`, meaning 00:00 UTC) or an RFC 3339 time,
/// or nil when it is neither.
package func parseDateOrTime(_ text: String) -> Double? {
    parseRFC3339(text.count == 10 ? text + "T00:00:00Z" : text)
}

/// Seconds since the Unix epoch of an RFC 3339 timestamp, or nil when it is not one.
package func parseRFC3339(_ text: String) -> Double? {
    var text = text
    var seconds = 0.0
    let ok = text.withUTF8 { bytes in
        bytes.withMemoryRebound(to: CChar.self) { rp_parse_timestamp($0.baseAddress, $0.count, &seconds) == 0 }
    }
    return ok ? seconds : nil
}

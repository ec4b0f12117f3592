import CRecordParser

/// Seconds since the Unix epoch of an RFC 3339 timestamp, or nil when it is not one.
package func parseRFC3339(_ text: String) -> Double? {
    var text = text
    var seconds = 0.0
    let ok = text.withUTF8 { bytes in
        bytes.withMemoryRebound(to: CChar.self) { rp_parse_timestamp($0.baseAddress, $0.count, &seconds) == 0 }
    }
    return ok ? seconds : nil
}

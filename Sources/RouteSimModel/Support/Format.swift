/// Number formatting for reports, fixed and locale-free so reports are byte-identical.
package enum Format {
    /// `value` with exactly `places` decimals.
    package static func fixed(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        // Beyond 2^53 a double holds no fraction digits: fewer places, then whole digits.
        guard rounded < 9e15 else {
            if places > 0 { return fixed(value, places - 1) }
            return rounded < 1e38 ? (value < 0 ? "-" : "") + "\(Int128(rounded))" : "\(value)"
        }
        let whole = Int(rounded / scale), fraction = Int(rounded - Double(whole) * scale)
        var text = "\(whole)"
        if places > 0 {
            let digits = "\(fraction)"
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return (value < 0 && rounded > 0 ? "-" : "") + text
    }

    /// Thousands separators: 1234567 → "1,234,567".
    package static func grouped(_ value: Double, places: Int = 0) -> String {
        let text = fixed(value, places)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var groups: [String] = []
        while whole.count > 3 {
            groups.insert(String(whole.suffix(3)), at: 0)
            whole.removeLast(3)
        }
        groups.insert(whole, at: 0)
        let joined = groups.joined(separator: ",") + (parts.count > 1 ? "." + parts[1] : "")
        return (negative ? "-" : "") + joined
    }

    /// Dollars with precision fit for the size: $1,234 / $12.35 / $0.004321.
    package static func usd(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "n/a" }
        let size = abs(value)
        if size >= 1000 { return (value < 0 ? "-$" : "$") + grouped(size) }
        if size >= 1 { return (value < 0 ? "-$" : "$") + fixed(size, 2) }
        if size == 0 { return "$0" }
        return (value < 0 ? "-$" : "$") + fixed(size, 6)
    }

    /// A fraction as a percentage with one decimal: 0.637 → "63.7%".
    package static func percent(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "n/a" }
        return fixed(fraction * 100, 1) + "%"
    }

    package static func interval(_ range: ClosedRange<Double>?, _ render: (Double) -> String) -> String {
        guard let range else { return "n/a" }
        let low = render(range.lowerBound), high = render(range.upperBound)
        // A dash between negative numbers reads as a minus: say "to" then.
        let negative = [low, high].contains { $0.hasPrefix("-") || $0.hasPrefix("−") }
        return negative ? "\(low) to \(high)" : "\(low)–\(high)"
    }

    /// "1 breach", "3 breaches": a count with its noun.
    package static func count(_ count: Int, _ one: String, _ many: String) -> String {
        "\(grouped(Double(count))) \(count == 1 ? one : many)"
    }

    package static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return grouped(value, places: 0) + " ms"
    }
}

import RouteSimModel
import RouteSimStatistics
/// A sum of doubles kept as whole units of a fixed resolution in 128-bit integers,
/// so totals are exact and identical whatever the order or grouping of the additions
/// (threads, chunks, shards). Each addend is rounded to the resolution once.
public struct ExactSum: Equatable, Sendable, Codable {
    public let unitsPerOne: Double
    package private(set) var units: Int128 = 0

    /// `unitsPerOne` 1e15 keeps dollars to a femto-dollar; 1e9 keeps milliseconds to a picosecond.
    public init(unitsPerOne: Double) {
        self.unitsPerOne = unitsPerOne
    }

    public mutating func add(_ value: Double) {
        units += units(of: value)
    }

    /// Adds units already converted (as `units(of:)` gives).
    package mutating func add(units more: Int128) {
        units += more
    }

    /// `value` in whole units of this resolution, halves rounded away from zero. (Through `Int64`
    /// when it fits — any call under $9,000 at femto-dollar resolution — because the generic
    /// `Int128(Double)` is slow.)
    package func units(of value: Double) -> Int128 {
        let scaled = value * unitsPerOne
        if abs(scaled) < 9.2e18 {
            // Truncated by the conversion (one instruction; `rounded(.towardZero)` calls the C
            // library's `trunc` on this project's target), then stepped.
            let whole = Int64(scaled)
            return Int128(whole + Int64(Self.halfStep(scaled - Double(whole))))
        }
        return Int128(Self.roundedHalfAway(scaled))
    }

    /// `x.rounded()` (to nearest, halves away from zero) without a call to the C library's
    /// `round`, which the processor has no instruction for.
    @inline(__always)
    static func roundedHalfAway(_ x: Double) -> Double {
        let whole = x.rounded(.towardZero)
        return whole + Double(halfStep(x - whole))
    }

    /// What rounding adds to a truncated number, given the fraction truncation left (exact for a
    /// double, so comparing it with one half decides as `round` does): 1, −1 or 0.
    @inline(__always)
    private static func halfStep(_ fraction: Double) -> Int {
        fraction >= 0.5 ? 1 : fraction <= -0.5 ? -1 : 0
    }

    public mutating func merge(_ other: ExactSum) {
        units += other.units
    }

    public var value: Double { Double(units) / unitsPerOne }

    public static func dollars() -> ExactSum { ExactSum(unitsPerOne: 1e15) }
    public static func milliseconds() -> ExactSum { ExactSum(unitsPerOne: 1e9) }
}

/// A model's prices from a date on (docs/catalog.md, "Prices that change"): each period starts
/// from the one before and changes the prices it names; before the first, the entry's own prices
/// (if any) are in force.
public struct DatedPrice: Equatable, Sendable {
    /// When the prices took effect, seconds since the epoch (a date means 00:00 UTC).
    public var from: Double
    /// The model's prices from `from` on (its `datedPrices` empty).
    public var prices: ModelSpec
}

extension ModelSpec {
    /// The prices in force at `time`: the last dated period that began by then, else the entry's own.
    public func inForce(at time: Double) -> ModelSpec {
        guard let period = datedPrices.last(where: { $0.from <= time }) else {
            var before = self
            before.datedPrices = []
            return before
        }
        return period.prices
    }
}

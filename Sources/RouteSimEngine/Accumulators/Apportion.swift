/// Splits a whole number of cost units among parts in proportion to their weights, exactly: each
/// part gets its floor, and the units left go one each to the parts with the largest remainders
/// (ties to the earlier part), so the parts always add up to the whole (docs/capacity.md, "What a
/// fleet costs a request").
package enum Apportion {
    package static func units(_ total: Int128, weights: [Int]) -> [Int128] {
        let sum = Int128(weights.reduce(0, +))
        guard sum > 0 else { return weights.map { _ in 0 } }
        var shares = weights.map { total * Int128($0) / sum }
        let remainders = weights.map { total * Int128($0) % sum }
        let left = total - shares.reduce(0, +)
        let order = remainders.indices.sorted { (remainders[$0], -$0) > (remainders[$1], -$1) }
        for index in order.prefix(Int(left)) { shares[index] += 1 }
        return shares
    }
}

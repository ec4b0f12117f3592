import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// The cost–success frontier of a sweep: each setting's point, the Pareto-optimal ones, the
/// upper convex hull, the cheapest setting meeting a target, and RouteLLM's figures.
public struct Frontier: Sendable {
    public struct Point: Sendable, Equatable {
        public var value: Double
        public var cpiUSD: Double
        public var successRate: Double
        /// Share of requests answered by the strong model (two-model policies).
        public var strongShare: Double?
        /// Performance gap recovered: (success − weak)/(strong − weak), two-model policies only.
        public var pgr: Double?

        package init(value: Double, cpiUSD: Double, successRate: Double, strongShare: Double? = nil, pgr: Double? = nil) {
            self.value = value
            self.cpiUSD = cpiUSD
            self.successRate = successRate
            self.strongShare = strongShare
            self.pgr = pgr
        }
    }

    public var points: [Point]
    /// Indices of points no other point beats on both cost and success.
    public var pareto: [Int]
    /// Indices of the upper convex hull from the cheapest point to the most successful one.
    public var hull: [Int]

    public init(points: [Point]) {
        self.points = points
        pareto = Self.pareto(points)
        hull = Self.upperHull(points)
    }

    /// The cheapest setting whose success rate is at least `target` (first in order on ties).
    public func cheapest(meeting target: Double) -> Int? {
        points.indices.filter { points[$0].successRate >= target }.min { points[$0].cpiUSD < points[$1].cpiUSD }
    }

    /// RouteLLM's CPT(x): the least strong-model share at which PGR reaches `x`, interpolating
    /// linearly between settings ordered by share (from the weak model alone at share 0, PGR 0).
    public func callsToReach(_ x: Double) -> Double? {
        let curve = pgrCurve()
        for (previous, next) in zip(curve, curve.dropFirst()) where next.pgr >= x {
            if previous.pgr >= x { return previous.share }
            return previous.share + (x - previous.pgr) / (next.pgr - previous.pgr) * (next.share - previous.share)
        }
        return nil
    }

    /// RouteLLM's APGR: the area under PGR against strong-model share over [0, 1], by trapezoids
    /// through the settings, anchored at (0, 0) (weak model alone) and (1, 1) (strong model alone).
    public var averagePGR: Double? {
        let curve = pgrCurve()
        guard curve.count > 2 else { return nil }
        return zip(curve, curve.dropFirst()).reduce(0) { area, pair in
            area + (pair.1.share - pair.0.share) * (pair.0.pgr + pair.1.pgr) / 2
        }
    }

    /// (share, PGR) through the settings, sorted by share, with the two anchors; best PGR per share.
    private func pgrCurve() -> [(share: Double, pgr: Double)] {
        var curve = points.compactMap { point in point.strongShare.flatMap { share in point.pgr.map { (share, $0) } } }
        guard !curve.isEmpty else { return [] }
        curve.append((0, 0))
        curve.append((1, 1))
        curve.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 > $1.1 }
        var unique: [(share: Double, pgr: Double)] = []
        for point in curve where unique.last?.share != point.0 { unique.append(point) }
        return unique
    }

    package static func pareto(_ points: [Point]) -> [Int] {
        points.indices.filter { index in
            !points.indices.contains { other in
                let a = points[other], b = points[index]
                return a.cpiUSD <= b.cpiUSD && a.successRate >= b.successRate && (a.cpiUSD < b.cpiUSD || a.successRate > b.successRate)
            }
        }
    }

    /// Andrew's monotone chain, upper half, over (cost, success), cut at the most successful point.
    package static func upperHull(_ points: [Point]) -> [Int] {
        let order = points.indices.sorted {
            points[$0].cpiUSD != points[$1].cpiUSD ? points[$0].cpiUSD < points[$1].cpiUSD : points[$0].successRate > points[$1].successRate
        }
        var hull: [Int] = []
        for index in order {
            if let last = hull.last, points[last].cpiUSD == points[index].cpiUSD { continue }
            while hull.count >= 2 {
                let a = points[hull[hull.count - 2]], b = points[hull[hull.count - 1]], c = points[index]
                let cross = (b.cpiUSD - a.cpiUSD) * (c.successRate - a.successRate) - (b.successRate - a.successRate) * (c.cpiUSD - a.cpiUSD)
                if cross >= 0 { hull.removeLast() } else { break }
            }
            hull.append(index)
        }
        guard let top = hull.indices.max(by: { points[hull[$0]].successRate < points[hull[$1]].successRate }) else { return hull }
        return Array(hull[...top])
    }
}

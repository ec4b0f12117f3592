/// Facts about this build of routesim.
public enum RouteSim {
    public static let version = "0.1.0"

    /// Seconds since the epoch of an RFC 3339 time, or nil.
    public static func parseTime(_ text: String) -> Double? { parseRFC3339(text) }
    /// A date (00:00 UTC) or an RFC 3339 time, as seconds since the epoch.
    public static func parseDateOrTime(_ text: String) -> Double? { RouteSimModel.parseDateOrTime(text) }
}

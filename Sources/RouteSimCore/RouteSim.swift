/// Facts about this build of routesim.
public enum RouteSim {
    public static let version = "0.1.0"
}

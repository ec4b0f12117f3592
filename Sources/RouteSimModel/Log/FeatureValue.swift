/// A value of a record's flat `features` map.
public enum FeatureValue: Equatable, Sendable {
    case number(Double)
    case bool(Bool)
    case string(String)
}

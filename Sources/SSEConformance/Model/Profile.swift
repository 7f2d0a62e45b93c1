/// Which set of checks applies.
public enum Profile: String, Sendable, Hashable, Codable, CaseIterable {
    /// The WHATWG rules only: every check but `nest/*`.
    case spec
    /// The spec plus NestJS parity (`nest/*`).
    case nestjs
}

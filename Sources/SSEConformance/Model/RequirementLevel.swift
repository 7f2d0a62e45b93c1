/// How strongly a check's rule binds a server.
public enum RequirementLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Breaking it breaks real EventSource clients: a failure.
    case must = "MUST"
    /// Spec advice or robustness: a warning, a failure under `--strict`.
    case should = "SHOULD"
    /// An observation; never a verdict.
    case info = "INFO"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How the suite exercises a target.
public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Listen to what the endpoint emits and judge what was observed.
    case passive
    /// Run the conformance scenarios of `fixtures/scenarios/` and compare with their declared dispatches.
    case scenarios
}

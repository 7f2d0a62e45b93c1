/// What a check's run function concludes, before the runner maps it onto a status by requirement level.
public enum Verdict: Sendable, Hashable {
    /// The rule held; `evidence` says what was seen.
    case held(evidence: Evidence)
    /// The rule was broken: what the rule requires, what the target did, and the wire evidence.
    case broken(expected: String, actual: String, evidence: Evidence)
    /// The check does not apply to what the target showed.
    case notApplicable(reason: String)
    /// The harness could not judge.
    case harnessError(reason: String, evidence: Evidence = Evidence())
    /// An observation with no verdict (INFO checks).
    case observed(note: String, evidence: Evidence)
}

/// The status of one check in one run.
public enum OutcomeStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The rule held.
    case pass
    /// A MUST rule was broken (or a SHOULD rule under `--strict`).
    case fail
    /// A SHOULD rule was broken.
    case warn
    /// The check could not apply (with the reason): the stream never exercised it, or it is opt-in.
    case skip
    /// The harness could not judge: timeout, refused connection, a line over `--max-line`.
    case error
    /// An observation, never a verdict (INFO checks, and passive halves judged only with scenarios).
    case info
}

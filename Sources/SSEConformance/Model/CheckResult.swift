/// One check's outcome in a run.
public struct CheckResult: Sendable, Hashable, Codable {
    /// The check's id, e.g. `framing/terminated-promptly`.
    public var id: String
    /// The check's requirement level.
    public var level: RequirementLevel
    /// The one-line summary.
    public var summary: String
    /// The rule's reference.
    public var reference: SpecReference
    /// The status.
    public var status: OutcomeStatus
    /// What the rule requires (fail/warn), empty otherwise.
    public var expected: String
    /// What the target did (fail/warn), empty otherwise.
    public var actual: String
    /// Why the check was skipped or errored, or an INFO note.
    public var message: String
    /// Evidence from the wire.
    public var evidence: Evidence
    /// How long the check ran, in seconds.
    public var duration: Double
    /// True when the status came from an expected-failures baseline entry.
    public var expectedFailure: Bool
    /// In a fetch-style run, how the check applies to the fetch-style request and why (its ``FetchStyleRule``);
    /// nil in GET runs.
    public var fetchStyle: String? = nil

    /// Creates a result.
    public init(
        id: String,
        level: RequirementLevel,
        summary: String,
        reference: SpecReference,
        status: OutcomeStatus,
        expected: String = "",
        actual: String = "",
        message: String = "",
        evidence: Evidence = Evidence(),
        duration: Double = 0,
        expectedFailure: Bool = false
    ) {
        self.id = id
        self.level = level
        self.summary = summary
        self.reference = reference
        self.status = status
        self.expected = expected
        self.actual = actual
        self.message = message
        self.evidence = evidence
        self.duration = duration
        self.expectedFailure = expectedFailure
    }

    /// The group: the part of the id before the `/`.
    public var group: String { String(id.prefix { $0 != "/" }) }
}

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
}

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

/// Wire evidence: a transcript excerpt with byte offsets and timings.
public struct Evidence: Sendable, Hashable, Codable {
    /// One line a reader can act on, e.g. `event at byte 48 waited 1012 ms for its blank line`.
    public var summary: String
    /// The transcript excerpt (already rendered, may hold any bytes the target sent, escaped for reading).
    public var excerpt: String
    /// The full transcript of every connection this check made (written to `reports/transcripts/` on failure).
    public var transcript: String

    /// Creates evidence.
    public init(summary: String = "", excerpt: String = "", transcript: String = "") {
        self.summary = summary
        self.excerpt = excerpt
        self.transcript = transcript
    }
}

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

/// A conformance check: a small declarative value, readable side by side with the spec.
///
/// The id is stable and readable (`group/name`): never derived from a position, never renamed, never reused.
/// The run function judges what the probes observed and returns a ``Verdict``; the runner maps it onto an
/// ``OutcomeStatus`` by the check's level and `--strict`.
public struct Check: Sendable {
    /// Stable id, `group/name`.
    public var id: String
    /// Requirement level.
    public var level: RequirementLevel
    /// The modes it runs in. A passive-only INFO variant of a scenario rule is expressed by `passiveLevel`.
    public var modes: Set<Mode>
    /// `spec` checks run in every profile; `nestjs` checks only in the `nestjs` profile.
    public var profile: Profile
    /// One line saying what it asserts.
    public var summary: String
    /// How it applies to a fetch-style request (a method other than GET, or a body), and why.
    public var fetchStyle: FetchStyleRule
    /// Where the rule comes from, with the sentence quoted.
    public var reference: SpecReference
    /// The level to use when the run is passive only (e.g. `reconnect/resumes-after-id` is INFO in passive
    /// mode: a stream may legitimately not support resumption and we cannot tell without a scenario).
    public var passiveLevel: RequirementLevel?
    /// Judges the target.
    public var run: @Sendable (CheckContext) async throws -> Verdict

    /// Creates a check.
    public init(
        id: String,
        level: RequirementLevel,
        modes: Set<Mode>,
        profile: Profile = .spec,
        summary: String,
        fetchStyle: FetchStyleRule,
        reference: SpecReference,
        passiveLevel: RequirementLevel? = nil,
        run: @escaping @Sendable (CheckContext) async throws -> Verdict
    ) {
        self.id = id
        self.level = level
        self.modes = modes
        self.profile = profile
        self.summary = summary
        self.fetchStyle = fetchStyle
        self.reference = reference
        self.passiveLevel = passiveLevel
        self.run = run
    }

    /// The group: the part of the id before the `/`.
    public var group: String { String(id.prefix { $0 != "/" }) }

    /// The level that applies in a run with these modes.
    public func effectiveLevel(modes runModes: Set<Mode>) -> RequirementLevel {
        if let passiveLevel, !runModes.contains(.scenarios) { return passiveLevel }
        return level
    }
}

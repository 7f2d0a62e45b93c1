import ServerSentEvents

/// One scenario of the manifest as the suite ran it.
public struct ScenarioRun: Sendable {
    /// The scenario as declared.
    public var scenario: ScenarioInfo
    /// The connections made, in order (the first, then any reconnections).
    public var exchanges: [Exchange]
    /// What the client dispatched across all connections, in order.
    public var dispatched: [ServerSentEvent]

    /// Creates a run.
    public init(scenario: ScenarioInfo, exchanges: [Exchange], dispatched: [ServerSentEvent]) {
        self.scenario = scenario
        self.exchanges = exchanges
        self.dispatched = dispatched
    }
}

/// The declared parts of a scenario the checks compare against.
public struct ScenarioInfo: Sendable {
    /// The scenario's name.
    public var name: String

    /// Creates the info.
    public init(name: String) { self.name = name }
}

/// Stats read from a scenario server before and after the suite aborted a never-ending stream.
public struct AbortReleaseProbe: Sendable {
    /// When the abort happened (seconds since the run started).
    public var abortedAt: Double
    /// Seconds after the abort at which the server reported the producer stopped, nil if it never did.
    public var releasedAfter: Double?
    /// The stats documents read, for evidence.
    public var statsLog: [String]

    /// Creates a probe result.
    public init(abortedAt: Double, releasedAfter: Double?, statsLog: [String]) {
        self.abortedAt = abortedAt
        self.releasedAfter = releasedAfter
        self.statsLog = statsLog
    }
}

import SSEScenarios
import ServerSentEvents

/// One scenario of the manifest as the suite ran it.
public struct ScenarioRun: Sendable {
    /// The scenario as declared.
    public var scenario: Scenario
    /// The connections made, in order (the first, then any reconnections): one per declared connection.
    public var exchanges: [Exchange]
    /// What the client dispatched on each connection.
    public var dispatchedPerConnection: [[ServerSentEvent]]

    /// Creates a run.
    public init(scenario: Scenario, exchanges: [Exchange], dispatchedPerConnection: [[ServerSentEvent]]) {
        self.scenario = scenario
        self.exchanges = exchanges
        self.dispatchedPerConnection = dispatchedPerConnection
    }

    /// Everything dispatched, across connections.
    public var dispatched: [ServerSentEvent] { dispatchedPerConnection.flatMap { $0 } }
}

/// Stats read from a scenario server before and after the suite aborted a never-ending stream.
public struct AbortReleaseProbe: Sendable {
    /// When the abort happened (seconds since the run started).
    public var abortedAt: Double
    /// Seconds after the abort at which the server reported the producer stopped, nil if it never did.
    public var releasedAfter: Double?
    /// Seconds after the abort at which the latest stats request answered "still running" was sent: the producer
    /// ran at least until then. Nil if no answer said so.
    public var stillRunningAt: Double?
    /// The stats documents read, for evidence.
    public var statsLog: [String]
    /// The connection that was aborted, for the HTML report's timelines.
    public var exchange: Exchange?

    /// Creates a probe result.
    public init(
        abortedAt: Double,
        releasedAfter: Double?,
        stillRunningAt: Double? = nil,
        statsLog: [String],
        exchange: Exchange? = nil
    ) {
        self.abortedAt = abortedAt
        self.releasedAfter = releasedAfter
        self.stillRunningAt = stillRunningAt
        self.statsLog = statsLog
        self.exchange = exchange
    }
}

import ServerSentEvents

/// One conformance scenario: a route that emits a fixed sequence of Nest-shaped events with declared pacing and
/// ending, and what an EventSource must see on each connection.
public struct Scenario: Sendable, Hashable {
    /// How a response ends once its events are written.
    public enum Ending: Sendable, Hashable {
        /// The source completes: the response ends cleanly.
        case complete
        /// The source fails with this message: Nest's error event, then the end.
        case error(message: String)
        /// The source never ends: the events repeat, in order, forever.
        case never
    }

    /// What a reconnection (a request carrying a non-empty `Last-Event-ID`) gets.
    public enum ReconnectPolicy: String, Sendable, Hashable {
        /// Served like a first request (NestJS ignores `Last-Event-ID`).
        case restart
        /// Continues after the event whose id is the `Last-Event-ID`; 204 when nothing is left; an unknown id
        /// starts again from the first event.
        case resume
        /// Answered 204 No Content: the stop signal for an EventSource.
        case noContent
    }

    /// A stable name (`sample28-sse`, `typed-mixed`...).
    public var name: String
    /// The path relative to the base URL, without a leading slash.
    public var path: String
    /// One line on what the scenario exercises.
    public var summary: String
    /// The time between events in milliseconds (the first event comes at most one interval after the response
    /// head). A query parameter overrides it.
    public var intervalMs: Int
    /// The events, in Nest's `MessageEvent` shape.
    public var events: [MessageEvent]
    /// At most this many events per response, which then completes (nil: no limit).
    public var perConnection: Int?
    /// How a response ends after its events.
    public var end: Ending
    /// What a reconnection gets.
    public var onReconnect: ReconnectPolicy
    /// The requests a checker makes in turn and what each must show.
    public var connections: [ExpectedConnection]

    /// Creates a scenario.
    public init(
        name: String,
        path: String,
        summary: String,
        intervalMs: Int,
        events: [MessageEvent],
        perConnection: Int?,
        end: Ending,
        onReconnect: ReconnectPolicy,
        connections: [ExpectedConnection]
    ) {
        self.name = name
        self.path = path
        self.summary = summary
        self.intervalMs = intervalMs
        self.events = events
        self.perConnection = perConnection
        self.end = end
        self.onReconnect = onReconnect
        self.connections = connections
    }
}

/// One request of a scenario and what an EventSource must see in its response.
public struct ExpectedConnection: Sendable, Hashable {
    /// How the response ends.
    public enum End: String, Sendable, Hashable {
        /// Complete: after the last dispatch the response ends cleanly.
        case complete
        /// The source failed: the last dispatch is the error event, then the response ends cleanly.
        case error
        /// The response never ends; `dispatches` is what comes first.
        case never
        /// No stream (a 204).
        case none
    }

    /// The `Last-Event-ID` header to send, or nil for none.
    public var lastEventId: String?
    /// The status the response must have.
    public var status: Int
    /// How the response ends.
    public var end: End
    /// The reconnection time (ms) the stream sets, if it sets one.
    public var reconnectionTime: Int?
    /// The events an EventSource dispatches, in order: all of them, or the first ones when `end` is `never`.
    public var dispatches: [ServerSentEvent]

    /// Creates an expectation.
    public init(lastEventId: String?, status: Int, end: End, reconnectionTime: Int?, dispatches: [ServerSentEvent]) {
        self.lastEventId = lastEventId
        self.status = status
        self.end = end
        self.reconnectionTime = reconnectionTime
        self.dispatches = dispatches
    }
}

/// How a check applies when the passive request is fetch-style (a method other than GET, or a body: LLM streaming
/// APIs, MCP Streamable HTTP), decided from the spec and stated in each check. A fetch-based reader
/// (`@microsoft/fetch-event-source`, vendor SDKs, httpx-sse) runs the same parser on the same bytes; only the
/// request, and what a reconnection re-sends, differ.
public struct FetchStyleRule: Sendable, Hashable {
    /// What a fetch-style request changes for the check.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Judged exactly as for GET.
        case unchanged
        /// Re-sends the same request with `Last-Event-ID`, or skips where re-sending would not be safe.
        case resends
        /// Judged on the scenario requests (GET), never on the fetch-style one.
        case scenarioRequests
    }

    /// What changes.
    public var kind: Kind
    /// Why, from the spec.
    public var reason: String

    /// Creates a rule.
    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// The bytes of the stream.
    public static let parsing = Self(
        .unchanged,
        "the stream is parsed by the same algorithm (9.2.5, 9.2.6) whichever request opened it: fetch-based readers run it too"
    )
    /// The response head and the HTTP between client and server.
    public static let responseHead = Self(
        .unchanged,
        "the response is read as EventSource reads it (9.2.3: 200 and text/event-stream; fetch-event-source also insists on the media type), through the same caches, compressors and CORS rules"
    )
    /// Cross-origin access.
    public static let cors = Self(
        .unchanged,
        "Access-Control-Allow-Origin is judged on the stream's response as for GET; the preflight (OPTIONS) a browser sends first for a POST with a JSON body or custom headers is not judged"
    )
    /// The end of a response.
    public static let endOfStream = Self(
        .unchanged,
        "the end of the response is the end of the answer: it must come cleanly after a complete event (9.2.6: an event without its blank line is discarded at the end), as an LLM answer ends after data: [DONE]"
    )
    /// Arrival times and simultaneous clients.
    public static let delivery = Self(
        .unchanged,
        "events must reach a fetch reader as they are produced; a pause before the first event (a model thinking) is not buffering, a burst after it is"
    )
    /// Reconnection.
    public static let reconnection = Self(
        .resends,
        "the reconnection re-sends the same request (method, body, headers) with Last-Event-ID, as fetch-event-source does after a lost connection; skipped when the stream ended by itself after its answer: a finished answer is not re-asked"
    )
    /// Scenario-only checks.
    public static let scenarios = Self(
        .scenarioRequests,
        "judged on the scenario requests (GET, from the manifest), never on the fetch-style request"
    )
    /// NestJS wire-format checks on the passive stream.
    public static let nestWire = Self(
        .unchanged,
        "Nest's encoder writes the same bytes whatever the route's method, so the wire is compared the same way"
    )
}

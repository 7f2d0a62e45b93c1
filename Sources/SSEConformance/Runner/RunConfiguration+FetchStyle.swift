import SSEClient

/// Fetch-style streams: a passive request with a method other than GET or with a body, as LLM streaming APIs and
/// MCP servers (Streamable HTTP) are read by fetch-based clients rather than by EventSource.
extension RunConfiguration {
    /// Whether the passive probes send what EventSource never sends: a method other than GET, or a body.
    public var isFetchStyle: Bool { method != "GET" || body != nil }

    /// The request the passive probes send, for report headers: `POST with a 42-byte body (fetch-style)`; nil for
    /// a plain GET.
    public var fetchStyleRequest: String? {
        guard isFetchStyle else { return nil }
        let bodyText = body.map { " with a \($0.count)-byte body" } ?? " without a body"
        return "\(method)\(bodyText) (fetch-style)"
    }

    /// Sets an EventSource configuration's method and body for a passive probe.
    func applyRequest(to client: inout EventSource.Configuration) {
        client.method = method
        client.body = body
    }
}

extension RunConfiguration {
    /// Why a fetch-style reconnection is not made after this primary exchange, or nil when it is made (GET runs
    /// always reconnect). A stream that ended by itself has delivered its answer: fetch-event-source reconnects only
    /// after an error, never after a clean end, and re-sending a POST would ask the question again.
    public func resendRefusal(after primary: Exchange) -> String? {
        guard isFetchStyle, primary.end == .completed else { return nil }
        return
            "the fetch-style stream (\(method)) ended by itself after its answer (\(TranscriptText.milliseconds(primary.endTime)) ms): a finished answer is not re-asked (fetch-event-source reconnects only after an error, and re-sending the request would ask again)"
    }

    /// The evidence line of a fetch-style reconnection: what was re-sent.
    public func resendNote(_ reconnection: Exchange) -> String? {
        guard isFetchStyle else { return nil }
        let sent =
            reconnection.requestHeader("Last-Event-ID").map { " with Last-Event-ID: \($0)" } ?? " (no event id to send)"
        let bodyText = body.map { " and its \($0.count)-byte body" } ?? ""
        return
            "re-sent the same \(method) request\(bodyText)\(sent), as fetch-event-source does after a lost connection"
    }
}

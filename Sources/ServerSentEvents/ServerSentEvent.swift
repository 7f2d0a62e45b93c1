/// An event as an EventSource dispatches it to its listeners.
///
/// This is what the WHATWG "dispatch the event" step produces: the event's type (`message` when the stream
/// gave none), its data with the one trailing line feed removed, and the source's last event ID at the moment
/// of dispatch.
public struct ServerSentEvent: Sendable, Hashable, CustomStringConvertible {
    /// The event type: the value of the block's last `event` field, or `message` when it was empty or absent.
    public var type: String
    /// The data: every `data` line of the block joined with LF.
    public var data: String
    /// The source's last event ID when the event was dispatched.
    public var lastEventId: String

    /// Creates an event.
    public init(type: String = "message", data: String, lastEventId: String = "") {
        self.type = type
        self.data = data
        self.lastEventId = lastEventId
    }

    public var description: String {
        "ServerSentEvent(type: \(type.debugDescription), data: \(data.debugDescription), "
            + "lastEventId: \(lastEventId.debugDescription))"
    }
}

/// An error a handler's event source can throw to end the stream with Nest's error event.
///
/// Nest writes `event: error`, the next id and `data:` with the error's `message`. Any error ends the stream
/// the same way; for errors of other types the message is `String(describing: error)`.
public struct SSESourceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text written as the error event's data.
    public var message: String

    /// Creates an error with the message the client will see.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

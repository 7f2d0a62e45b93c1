/// Callbacks around one event stream, for statistics and admission limits.
public struct SSEStreamHooks: Sendable {
    /// How a stream ended.
    public enum End: Sendable, Hashable {
        /// The handler's sequence finished: the response was ended cleanly.
        case completed
        /// The handler's sequence threw: the error event was written and the response ended.
        case failed
        /// The client went away (or the write failed) and the handler's task was cancelled.
        case cancelled
        /// The server is shutting down gracefully: the response was ended cleanly.
        case shutdown
    }

    /// Called when the body starts, after the response head.
    public var onOpen: @Sendable () -> Void
    /// Called once when the stream is over, after the handler's sequence was released.
    public var onClose: @Sendable (End) -> Void

    /// Creates hooks; both default to doing nothing.
    public init(onOpen: @escaping @Sendable () -> Void = {}, onClose: @escaping @Sendable (End) -> Void = { _ in }) {
        self.onOpen = onOpen
        self.onClose = onClose
    }
}

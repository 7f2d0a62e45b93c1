import NIOConcurrencyHelpers
import NIOCore

/// Tells an event stream when its client has gone away, without a task reading the connection.
///
/// Hummingbird's `consumeWithInboundCloseHandler` notices a client leaving by reading the request in a child task,
/// which costs about 7 KiB per open stream. This handler sits in the connection's pipeline instead and reports the
/// end of input (the client's FIN: Hummingbird allows half-closure, so the channel stays open), a reset, or the
/// channel going inactive. Install it in the pipeline of a server whose routes use a ``ChannelRequestContext`` such as
/// ``SSERequestContext`` (the reference server does); streams on connections without it fall back to Hummingbird's
/// mechanism.
public final class InboundCloseNotifier: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    public typealias InboundIn = NIOAny

    private let lock = NIOLock()
    private var closed = false
    private var callback: (@Sendable () -> Void)?

    /// Creates a notifier for one connection.
    public init() {}

    /// Calls `callback` once when the client goes away (at once if it already has); replaces an earlier callback.
    func onClose(_ callback: @escaping @Sendable () -> Void) {
        let closedAlready = lock.withLock { () -> Bool in
            if !closed { self.callback = callback }
            return closed
        }
        if closedAlready { callback() }
    }

    /// Forgets the callback (the stream is over; the connection may serve another request).
    func clearCallback() {
        lock.withLock { callback = nil }
    }

    private func fire() {
        let callback = lock.withLock { () -> (@Sendable () -> Void)? in
            closed = true
            defer { self.callback = nil }
            return self.callback
        }
        callback?()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { fire() }
        context.fireUserInboundEventTriggered(event)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        fire()
        context.fireChannelInactive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fire()
        context.fireErrorCaught(error)
    }
}

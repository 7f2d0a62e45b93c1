import Hummingbird
import Logging
import NIOCore

/// A request context that knows its connection's channel, so event streams can watch for the client leaving with an
/// ``InboundCloseNotifier`` instead of a reading task.
public protocol ChannelRequestContext: RequestContext {
    /// The connection the request came on.
    var channel: any Channel { get }
}

/// A request context for `@Sse()` routes: Hummingbird's basic context plus the connection's channel (the reference
/// server's context).
public struct SSERequestContext: ChannelRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    /// Creates the context from the application's source.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

extension RequestContext {
    /// The notifier in this request's connection pipeline, if the context knows its channel and one is installed.
    ///
    /// Runs on the caller's executor (`nonisolated(nonsending)`): on the connection's event loop the look-up is
    /// synchronous, and the handler's task neither hops to the global executor and back nor grows its stack for it.
    @inlinable
    nonisolated(nonsending) public func inboundCloseNotifier() async -> InboundCloseNotifier? {
        guard let channel = (self as? any ChannelRequestContext)?.channel else { return nil }
        if channel.eventLoop.inEventLoop {
            return try? channel.pipeline.syncOperations.handler(type: InboundCloseNotifier.self)
        }
        return await InboundCloseNotifier.lookUp(in: channel)
    }
}

extension InboundCloseNotifier {
    /// The notifier in `channel`'s pipeline, looked up from off its event loop.
    @usableFromInline
    static func lookUp(in channel: any Channel) async -> InboundCloseNotifier? {
        try? await channel.pipeline.handler(type: InboundCloseNotifier.self).get()
    }
}

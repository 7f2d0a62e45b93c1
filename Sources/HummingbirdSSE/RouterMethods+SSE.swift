import Hummingbird
import ServerSentEvents

extension RouterMethods {
    /// Adds a NestJS-style `@Sse()` route: GET (and HEAD) on `path`, answered by the events the handler returns.
    ///
    /// ```swift
    /// router.sse("sse") { _, _ in
    ///     Interval(every: .seconds(1)).map { _ in MessageEvent(data: .json(["hello": "world"])) }
    /// }
    /// ```
    /// - Parameters:
    ///   - path: The route's path.
    ///   - options: Status and route headers (`@HttpCode`, `@Header`).
    ///   - handler: Returns the events to stream for a request (Nest's Observable).
    @discardableResult
    public func sse<Events: AsyncSequence & Sendable>(
        _ path: RouterPath,
        options: SSERouteOptions = SSERouteOptions(),
        handler: @escaping @Sendable (Request, Context) async throws -> Events
    ) -> Self where Events.Element == MessageEvent {
        let respond: @Sendable (Request, Context) async throws -> Response = { request, context in
            if request.method == .head {
                return Response.eventStream(EmptyEvents(), for: request, options: options)
            }
            return Response.eventStream(
                try await handler(request, context),
                for: request,
                options: options,
                closeNotifier: await context.inboundCloseNotifier()
            )
        }
        on(path, method: .get, use: respond)
        on(path, method: .head, use: respond)
        return self
    }
}

/// A sequence with no events (Nest's `EMPTY`).
public struct EmptyEvents: AsyncSequence, Sendable {
    public typealias Element = MessageEvent

    /// Creates an empty sequence.
    public init() {}

    public struct AsyncIterator: AsyncIteratorProtocol {
        public mutating func next() async throws -> MessageEvent? { nil }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator() }
}

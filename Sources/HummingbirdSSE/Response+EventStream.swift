import Hummingbird
import ServerSentEvents

extension Response {
    /// A response that streams `events` as a NestJS 11.1 `@Sse()` route does.
    ///
    /// Status and headers are Nest's (see ``NestSSEHeaders``); a HEAD request gets them with no body and the
    /// sequence is never iterated. Otherwise the body is the initial `\n` and one write per event, and it ends when
    /// the sequence finishes, after Nest's error event when it throws, or at once when the client goes away (the
    /// iterating task is cancelled).
    ///
    /// - Parameters:
    ///   - events: The handler's events (Nest's Observable).
    ///   - request: The request being answered; its body is consumed to notice the client going away.
    ///   - options: Status and route headers (`@HttpCode`, `@Header`).
    ///   - hooks: Called when the body starts and when the stream is over.
    ///   - closeNotifier: The connection's ``InboundCloseNotifier``, if it has one; without it the request body is
    ///     read in a child task to notice the client leaving (Hummingbird's `consumeWithInboundCloseHandler`).
    public static func eventStream<Events: AsyncSequence & Sendable>(
        _ events: Events,
        for request: Request,
        options: SSERouteOptions = SSERouteOptions(),
        hooks: SSEStreamHooks = SSEStreamHooks(),
        closeNotifier: InboundCloseNotifier? = nil
    ) -> Response where Events.Element == MessageEvent {
        let headers = NestSSEHeaders.headers(routeHeaders: options.headers)
        if request.method == .head {
            return Response(status: options.status, headers: headers, body: ResponseBody())
        }
        let closeWatch: EventStreamWriter.CloseWatch = closeNotifier.map { .notifier($0) } ?? .requestBody(request.body)
        let source = EventStreamWriter.Source(events)
        let body = ResponseBody { writer in
            hooks.onOpen()
            let end = await EventStreamWriter.run(source, closeWatch: closeWatch, writer: &writer)
            hooks.onClose(end)
        }
        return Response(status: options.status, headers: headers, body: body)
    }
}

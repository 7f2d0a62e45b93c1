import Hummingbird
import HummingbirdSSE
import HummingbirdTesting
import Logging
import SSEReferenceServer
import ServerSentEvents

/// Runs `router` on a live server bound to 127.0.0.1 port 0 for the duration of `body`, with an
/// ``InboundCloseNotifier`` in each connection's pipeline when `notifier` is true.
func withLiveRouter<Context: RequestContext>(
    _ router: Router<Context>,
    notifier: Bool = false,
    _ body: @escaping @Sendable (Int) async throws -> Void
) async throws where Context.Source == ApplicationRequestContextSource {
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let app = Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: notifier ? [InboundCloseNotifier()] : [])),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        logger: logger
    )
    try await app.test(.live) { client in
        try await body(client.port!)
    }
}

/// What an EventSource dispatches for a body, and the reconnection time it ends with.
func dispatches(of body: [UInt8]) -> (events: [ServerSentEvent], reconnectionTime: Int?) {
    var parser = EventStreamParser()
    let events = EventStreamParser.events(in: parser.parse(body))
    parser.finish()
    return (events, parser.reconnectionTime)
}

/// Counts complete events (blocks ended by a blank line) in a body that uses LF line ends.
func blankLineCount(_ body: [UInt8]) -> Int {
    var count = 0
    var previous: UInt8 = 0
    for byte in body.dropFirst() {
        if byte == 10, previous == 10 { count += 1 }
        previous = byte
    }
    return count
}

/// An async sequence of the given events, one at a time with a pause between them, then `failure` if given.
struct PacedEvents: AsyncSequence, Sendable {
    typealias Element = MessageEvent
    var events: [MessageEvent]
    var pause: Duration = .milliseconds(5)
    var failure: SSESourceError?

    struct AsyncIterator: AsyncIteratorProtocol {
        var source: PacedEvents
        var index = 0

        mutating func next() async throws -> MessageEvent? {
            if index > 0 || source.events.isEmpty {
                try await Task.sleep(for: source.pause)
            }
            guard index < source.events.count else {
                if let failure = source.failure { throw failure }
                return nil
            }
            defer { index += 1 }
            return source.events[index]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
}

/// Starts a reference server with `configuration`, runs `body` with it, then shuts the server down and waits for
/// that, also when `body` throws (its error is the one rethrown).
func withServer<T>(
    _ configuration: ReferenceServer.Configuration = ReferenceServer.Configuration(),
    _ body: (RunningServer) async throws -> T
) async throws -> T {
    let server = try await ReferenceServer.start(configuration)
    let result: T
    do {
        result = try await body(server)
    } catch {
        try? await server.shutdown()
        throw error
    }
    try await server.shutdown()
    return result
}

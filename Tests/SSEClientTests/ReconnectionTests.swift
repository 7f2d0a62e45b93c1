import Foundation
import SSEClient
import ServerSentEvents
import Testing

@Suite("Reconnection")
struct ReconnectionTests {
    /// HTML §9.2.3: "When a user agent is to reestablish the connection ... Wait a delay equal to the reconnection
    /// time of the event source ... set (`Last-Event-ID`, the last event ID string) in request's header list."
    /// §9.2.6: a `retry` field of ASCII digits sets the reconnection time.
    @Test func reconnectsAfterTheEndWithLastEventIdAfterTheRetryDelay() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.initialReconnectionTime = .milliseconds(10)
        configuration.maxReconnections = 1
        let source = try EventSource(url: server.url("/retry?ms=300"), configuration: configuration)
        let result = await collect(source)

        #expect(!result.timedOut)
        #expect(result.data == ["one", "two"])
        #expect(result.opens.count == 2)
        #expect(result.errors.map(\.kind) == [.streamEnded, .streamEnded])
        #expect(result.closed??.kind == .reconnectionLimit)

        #expect(await server.wait { _ in server.requests("/retry").count == 2 })
        let requests = server.requests("/retry")
        try #require(requests.count == 2)
        #expect(requests[0].headers?["last-event-id"] == nil)
        #expect(requests[1].headers?["last-event-id"] == "7")
        for request in requests {
            #expect(request.headers?["accept"] == "text/event-stream")
            #expect(request.headers?["cache-control"] == "no-cache")
            #expect(request.headers?["accept-encoding"]?.contains("gzip") == true)
        }
        // Generous lower bound only: the second request came at least the retry time after the first ended.
        let serverGap = (requests[1].t ?? 0) - (requests[0].t ?? 0)
        #expect(serverGap >= 0.3)

        let attempts = source.transcript.attempts
        try #require(attempts.count == 2)
        #expect(attempts[0].ending == .endOfBody)
        #expect(attempts[0].curlCode == 0)
        #expect(attempts[1].lastEventIdSent == "7")
        #expect(attempts[1].requests.first?.headers.last(named: "Last-Event-ID") == "7")
        if let ended = attempts[0].endedAt {
            #expect(attempts[1].startedAt - ended >= .milliseconds(300))
        } else {
            Issue.record("the first attempt has no end time")
        }
    }

    /// "if res is a network error ... reestablish the connection": a refused connection is retried.
    @Test func retriesARefusedConnection() async throws {
        let port = try closedPort()
        var configuration = EventSource.Configuration()
        configuration.initialReconnectionTime = .milliseconds(100)
        configuration.maxReconnections = 2
        let source = try EventSource(url: "http://127.0.0.1:\(port)/events", configuration: configuration)
        let result = await collect(source)

        #expect(!result.timedOut)
        #expect(result.opens.isEmpty)
        #expect(result.errors.map(\.kind) == [.connectionLost, .connectionLost, .connectionLost])
        #expect(result.errors.first?.curlCode == 7)  // CURLE_COULDNT_CONNECT
        #expect(result.closed??.kind == .reconnectionLimit)
        let attempts = source.transcript.attempts
        #expect(attempts.count == 3)
        #expect(attempts.allSatisfy { $0.ending == .networkError && $0.curlCode == 7 })
        for (earlier, later) in zip(attempts, attempts.dropFirst()) {
            #expect(later.startedAt - (earlier.endedAt ?? later.startedAt) >= .milliseconds(100))
        }
    }

    /// A network error — reset or closed before the response, or an open stream reset — is retried, with
    /// `Last-Event-ID` when the source has one, and the retry is served.
    @Test(arguments: [
        ("/reset-first", Transcript.Ending.reset, [String](), "after-reset", false),
        ("/close-first", .truncated, [], "after-close", false),
        ("/reset-mid", .reset, ["before-reset"], "after-reset", true),
    ])
    func retriesAfterANetworkError(
        path: String,
        ending: Transcript.Ending,
        before: [String],
        after: String,
        opened: Bool
    ) async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.initialReconnectionTime = .milliseconds(50)
        configuration.maxReconnections = 1
        let source = try EventSource(url: server.url(path), configuration: configuration)
        let result = await collect(source)

        #expect(!result.timedOut)
        #expect(result.data == before + [after])
        #expect(result.errors.first?.kind == .connectionLost)
        #expect(await server.wait { _ in server.requests(path).count == 2 })
        let attempts = source.transcript.attempts
        try #require(attempts.count == 2)
        #expect(attempts[0].ending == ending)
        #expect(attempts[0].opened == opened)
        #expect(attempts[1].opened)
        #expect(server.requests(path).last?.headers?["last-event-id"] == (opened ? "m1" : nil))
    }
}

/// A loopback port nobody listens on: bound, then closed.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

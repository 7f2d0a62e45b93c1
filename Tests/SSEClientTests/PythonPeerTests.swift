import Foundation
import SSEClient
import ServerSentEvents
import Testing

@Suite("Third-party Python SSE servers")
struct PythonPeerTests {
    /// End to end against real servers from PyPI: typed and multi-line events, ids, `retry`, and a reconnection
    /// that carries `Last-Event-ID` (the servers echo it in the last event).
    @Test(arguments: ["starlette_server.py", "aiohttp_server.py"])
    func endToEnd(script: String) async throws {
        let python = TestServer.root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("\(python) is missing: run scripts/bootstrap (it installs sse-starlette and aiohttp-sse)")
            return
        }
        let server = try await TestServer.start(
            executable: python,
            arguments: [TestServer.root.appendingPathComponent("Tests/SSEClientTests/Servers/\(script)").path]
        )
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.initialReconnectionTime = .milliseconds(10)
        configuration.maxReconnections = 1
        let source = try EventSource(url: server.url("/events"), configuration: configuration)
        let result = await collect(source)

        #expect(!result.timedOut)
        let firstPass = [
            ServerSentEvent(type: "greeting", data: "hello", lastEventId: "1"),
            ServerSentEvent(data: "line one\nline two", lastEventId: "2"),
        ]
        #expect(
            result.messages
                == firstPass + [ServerSentEvent(data: #"{"last": null}"#, lastEventId: "3")] + firstPass
                + [ServerSentEvent(data: #"{"last": "3"}"#, lastEventId: "3")]
        )
        #expect(result.opens.count == 2)
        #expect(result.opens.allSatisfy { $0.mediaType == "text/event-stream" })
        let attempts = source.transcript.attempts
        try #require(attempts.count == 2)
        #expect(attempts[0].ending == .endOfBody)
        #expect(attempts[1].lastEventIdSent == "3")
        // `retry: 500` set the reconnection time.
        if let ended = attempts[0].endedAt {
            #expect(attempts[1].startedAt - ended >= .milliseconds(500))
        }
    }
}

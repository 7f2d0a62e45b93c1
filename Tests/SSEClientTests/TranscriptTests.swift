import SSEClient
import ServerSentEvents
import Testing

@Suite("Transcript")
struct TranscriptTests {
    /// Each attempt keeps the request sent, the head as received, every chunk with its offset and arrival time,
    /// the parser's observations when asked for, and how it ended.
    @Test func recordsTheWholeExchange() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        configuration.transcript.recordsObservations = true
        let source = try EventSource(url: server.url("/few?n=3&gap_ms=50"), configuration: configuration)
        let result = await collect(source)
        #expect(result.data == ["event 1", "event 2", "event 3"])

        let attempt = try #require(source.transcript.attempts.first)
        let request = try #require(attempt.requests.first)
        #expect(request.requestLine == "GET /few?n=3&gap_ms=50 HTTP/1.1")
        #expect(request.headers.last(named: "Accept") == "text/event-stream")
        #expect(request.headers.last(named: "Cache-Control") == "no-cache")
        #expect(request.headers.last(named: "Last-Event-ID") == nil)
        let response = try #require(attempt.response)
        #expect(response.statusLine == "HTTP/1.1 200 OK")
        // Order and case as the server wrote them.
        #expect(
            response.headers.map(\.name) == ["Content-Type", "Cache-Control", "Transfer-Encoding", "Connection"]
        )
        #expect(attempt.httpVersion == "1.1")
        #expect(attempt.ending == .endOfBody)
        #expect(attempt.curlCode == 0)

        // Chunks are contiguous, in arrival order, and add up to the body.
        var offset = 0
        var last = attempt.startedAt
        for chunk in attempt.chunks {
            #expect(chunk.offset == offset)
            #expect(chunk.receivedAt >= last)
            offset += chunk.count
            last = chunk.receivedAt
        }
        #expect(offset == attempt.bodyBytes)
        #expect(String(decoding: attempt.body, as: UTF8.self).hasPrefix("id: 1\ndata: event 1\n\n"))
        // The events were 50 ms apart on the wire: at least two chunks.
        #expect(attempt.chunks.count >= 2)

        let dispatched = attempt.observations.compactMap { observation -> ServerSentEvent? in
            if case .dispatched(let event) = observation.kind { return event }
            return nil
        }
        #expect(dispatched.map(\.data) == ["event 1", "event 2", "event 3"])
        #expect(attempt.observations.contains { $0.kind == .field(name: "id", value: "2") })
    }

    /// A CRLF split across chunks, with observations on: one CRLF line end each, and no trap (the parser's
    /// `takeObservations()` after a chunk ending in CR is unsafe; the client works around it).
    @Test func observesACRLFSplitAcrossChunks() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        configuration.transcript.recordsObservations = true
        let source = try EventSource(url: server.url("/split-crlf"), configuration: configuration)
        let result = await collect(source)

        #expect(result.data == ["a", "b"])
        let attempt = try #require(source.transcript.attempts.first)
        #expect(attempt.chunks.count >= 3)
        let lineEnds = attempt.observations.compactMap { observation -> LineTerminator? in
            if case .line(_, let terminator) = observation.kind { return terminator }
            return nil
        }
        #expect(lineEnds == [.crlf, .crlf, .crlf, .crlf])
    }
}

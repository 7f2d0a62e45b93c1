import SSEClient
import ServerSentEvents
import Testing

@Suite("Transport")
struct TransportTests {
    /// The client offers what libcurl decodes, decodes it, and the transcript keeps the `Content-Encoding`.
    @Test func decodesGzipAndRecordsTheEncoding() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        let source = try EventSource(url: server.url("/gzip"), configuration: configuration)
        let result = await collect(source)

        #expect(result.messages == [ServerSentEvent(data: "zipped", lastEventId: "z1")])
        let attempt = try #require(source.transcript.attempts.first)
        #expect(attempt.response?.headers.last(named: "Content-Encoding") == "gzip")
        let offered = attempt.requests.first?.headers.last(named: "Accept-Encoding") ?? ""
        #expect(offered.contains("gzip"))
        #expect(attempt.body == Array("id: z1\ndata: zipped\n\n".utf8))
        #expect(attempt.ending == .endOfBody)
    }

    /// "Redirects are followed" (fetch's default redirect mode).
    @Test(arguments: [301, 307])
    func followsRedirects(status: Int) async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        let source = try EventSource(url: server.url("/redirect/\(status)"), configuration: configuration)
        let result = await collect(source)

        #expect(result.data == ["event 1"])
        #expect(result.opens.map(\.status) == [200])
        let attempt = try #require(source.transcript.attempts.first)
        #expect(attempt.responses.map(\.status) == [status, 200])
        #expect(attempt.requests.count == 2)
        #expect(attempt.requests.last?.requestLine.hasPrefix("GET /few?n=1 ") == true)
    }

    /// `close()` aborts at once: the server sees the connection drop, and no reconnection follows. A plain close
    /// may reach the server as a FIN or, when unread bytes were still in our socket buffer, as a reset (the
    /// kernel's choice); `abortsWithReset` always resets.
    @Test(arguments: [(false, ["eof", "reset"]), (true, ["reset"])])
    func closeMidStreamDropsTheConnection(withReset: Bool, seen: [String]) async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.initialReconnectionTime = .milliseconds(20)
        configuration.abortsWithReset = withReset
        let source = try EventSource(url: server.url("/hold"), configuration: configuration)
        let result = await collect(source) { events in
            events.contains { if case .message = $0 { true } else { false } }
        }

        #expect(!result.timedOut)
        #expect(result.closed == .some(nil))
        #expect(await server.wait { $0.contains { $0.event == "disconnect" && $0.path == "/hold" } })
        #expect(seen.contains(server.records.first { $0.event == "disconnect" }?.how ?? "none"))
        try await Task.sleep(for: .milliseconds(200))
        #expect(server.requests("/hold").count == 1)
        #expect(source.transcript.attempts.map(\.ending) == [.abortedByClient])
    }

    /// 8 MiB without a line end: the parser refuses to buffer past its 1 MiB line limit, says so, and resumes at
    /// the next block; the transcript stays within its own bound and says how much it dropped.
    @Test func anEndlessLineStaysWithinTheLimits() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        configuration.transcript.maxBodyBytes = 256 * 1024
        let source = try EventSource(url: server.url("/big?mib=8"), configuration: configuration)
        let result = await collect(source, timeout: .seconds(60))

        #expect(!result.timedOut)
        let limitErrors = result.errors.filter { $0.kind == .streamLimit }
        #expect(limitErrors.count == 1)
        #expect(limitErrors.first?.streamError?.kind == .lineTooLong)
        #expect(limitErrors.first?.streamError?.limit == 1 << 20)
        #expect(result.data == ["after"])
        let attempt = try #require(source.transcript.attempts.first)
        #expect(attempt.bodyBytes == 8 * 1024 * 1024 + 15)
        let kept = attempt.chunks.reduce(0) { $0 + $1.bytes.count }
        #expect(kept <= 256 * 1024)
        #expect(kept + attempt.droppedBodyBytes == attempt.bodyBytes)
        #expect(attempt.droppedChunks > 0)
    }

    /// Slow-reader mode: after `pauseAfterBytes` the client stops reading until `resume()`.
    @Test func pausesAfterBytesUntilResumed() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        configuration.pauseAfterBytes = 1
        let source = try EventSource(url: server.url("/hold"), configuration: configuration)
        var iterator = source.events.makeAsyncIterator()
        guard case .open = await iterator.next() else {
            Issue.record("no open event")
            return
        }
        guard case .message(let first) = await iterator.next() else {
            Issue.record("no first message")
            return
        }
        #expect(first.data == "tick 1")
        let before = source.transcript.attempts.last?.bodyBytes ?? 0
        try await Task.sleep(for: .milliseconds(400))
        // The server went on writing into the socket; the client read nothing more.
        #expect(source.transcript.attempts.last?.bodyBytes == before)
        source.resume()
        guard case .message(let second) = await iterator.next() else {
            Issue.record("no message after resume")
            return
        }
        #expect(second.data == "tick 2")
        source.close()
        while let event = await iterator.next() {
            if case .closed(let reason) = event { #expect(reason == nil) }
        }
    }

    /// The redaction hook hides header values in the transcript; the server still gets them.
    @Test func redactsRecordedHeaderValues() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        configuration.headers = [HTTPHeaderField(name: "Authorization", value: "Bearer secret")]
        configuration.transcript.redact = EventSource.TranscriptConfiguration.redacting(["authorization"])
        let source = try EventSource(url: server.url("/few?n=1"), configuration: configuration)
        _ = await collect(source)
        #expect(await server.wait { _ in !server.requests("/few").isEmpty })
        #expect(server.requests("/few").first?.headers?["authorization"] == "Bearer secret")
        let sent = source.transcript.attempts.first?.requests.first?.headers
        #expect(sent?.last(named: "authorization") == "<redacted>")
    }

    /// Redaction changes only the record: a hook that rewrites a word of the media type (a secret that happens to
    /// be `stream`) neither fails the source nor changes the head it emits; the transcript's response head is
    /// rewritten by default, and recorded as received with `redactsResponseHeads` off.
    @Test(arguments: [true, false])
    func redactionNeverChangesWhatTheSourceActsOn(redactsResponseHeads: Bool) async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        configuration.transcript.redact = { _, value in value.replacingOccurrences(of: "stream", with: "<redacted>") }
        configuration.transcript.redactsResponseHeads = redactsResponseHeads
        let source = try EventSource(url: server.url("/few?n=1"), configuration: configuration)
        let result = await collect(source)
        #expect(result.data == ["event 1"], "\(result.events)")
        #expect(result.opens.first?.headers.last(named: "content-type") == "text/event-stream")
        let recorded = source.transcript.attempts.first?.responses.last?.headers.last(named: "content-type")
        #expect(recorded == (redactsResponseHeads ? "text/event-<redacted>" : "text/event-stream"))
    }

    /// An attempt that receives nothing for the idle timeout ends as timed out and is retried.
    @Test func idleTimeoutEndsTheAttempt() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        // Generous: a loaded machine may take a while to answer, and that silence would count.
        configuration.idleTimeout = .seconds(2)
        configuration.pauseAfterBytes = 0  // read nothing: a paused transfer does not time out
        let source = try EventSource(url: server.url("/hold"), configuration: configuration)
        var events = source.events.makeAsyncIterator()
        guard case .open = await events.next() else {
            Issue.record("the held stream did not open")
            return
        }
        // The first tick came with the head, so the transfer is paused now; wait well past the idle timeout.
        try await Task.sleep(for: .seconds(3))
        #expect(source.readyState == .open)
        source.close()
        while await events.next() != nil {}
        #expect(source.transcript.attempts.first?.ending == .abortedByClient)

        var silentConfiguration = EventSource.Configuration()
        silentConfiguration.maxReconnections = 0
        silentConfiguration.idleTimeout = .milliseconds(300)
        let silent = try EventSource(url: server.url("/silent"), configuration: silentConfiguration)
        let result = await collect(silent, timeout: .seconds(10))
        #expect(!result.timedOut)
        #expect(result.errors.first?.kind == .idleTimeout)
        #expect(silent.transcript.attempts.first?.ending == .timedOut)
    }
}

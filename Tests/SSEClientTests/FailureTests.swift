import SSEClient
import Testing

@Suite("Failing the connection")
struct FailureTests {
    /// HTML §9.2.3: "if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail
    /// the connection" — readyState CLOSED, no reconnection. A 204 is how a server says "stop".
    @Test(arguments: [
        ("/status/204", EventSourceError.Kind.badStatus),
        ("/status/404", .badStatus),
        ("/status/500", .badStatus),
        ("/type?value=text/plain", .badContentType),
        ("/type?value=application/json", .badContentType),
    ])
    func failsForGoodWithoutASecondRequest(path: String, kind: EventSourceError.Kind) async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.initialReconnectionTime = .milliseconds(20)  // a reconnection, if any, would come at once
        let source = try EventSource(url: server.url(path), configuration: configuration)
        let result = await collect(source, timeout: .seconds(10))

        #expect(!result.timedOut)
        #expect(result.opens.isEmpty)
        #expect(result.messages.isEmpty)
        #expect(result.closed??.kind == kind)
        #expect(source.readyState == .closed)
        let attempts = source.transcript.attempts
        #expect(attempts.count == 1)
        #expect(attempts.first?.ending == .rejected)
        try await Task.sleep(for: .milliseconds(300))
        let route = String(path.prefix { $0 != "?" })
        #expect(server.requests(route).count == 1)
    }

    /// The media type is compared case-insensitively and may carry parameters.
    @Test(arguments: ["text/event-stream;charset=utf-8", "Text/Event-Stream", "text/event-stream ; foo=bar"])
    func opensOnEventStreamMediaTypeVariants(contentType: String) async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        let value = contentType.addingPercentEncodingForQuery()
        let source = try EventSource(url: server.url("/type?value=\(value)"), configuration: configuration)
        let result = await collect(source, timeout: .seconds(10))
        #expect(result.opens.count == 1)
        #expect(result.data == ["typed"])
        #expect(result.closed??.kind == .reconnectionLimit)
    }

    /// Bad input is refused at once, never crashes or hangs.
    @Test(arguments: ["", "not a url", "ftp://127.0.0.1/x", "file:///etc/passwd", "http://", "http://a b/", "\u{0}"])
    func refusesBadURLs(url: String) {
        #expect(throws: EventSourceError.self) { try EventSource(url: url) }
    }

    @Test(arguments: [
        HTTPHeaderField(name: "", value: "x"),
        HTTPHeaderField(name: "X-Bad", value: "a\r\nInjected: yes"),
        HTTPHeaderField(name: "X:Bad", value: "x"),
        HTTPHeaderField(name: "X-Nul", value: "a\u{0}b"),
    ])
    func refusesBadHeaders(field: HTTPHeaderField) {
        var configuration = EventSource.Configuration()
        configuration.headers = [field]
        #expect(throws: EventSourceError.self) {
            try EventSource(url: "http://127.0.0.1:1/", configuration: configuration)
        }
    }
}

extension String {
    func addingPercentEncodingForQuery() -> String {
        var out = ""
        for byte in utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isLetter || c.isNumber || "-._~/".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded()
            }
        }
        return out
    }

    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}

import SSEClient
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("One-shot fetch")
struct FetchTests {
    /// A 200 answer: the status, the headers as received, the whole body; our headers are sent.
    @Test func collectsTheWholeBody() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let response = try await fetch(
            url: server.url("/few?n=2"),
            headers: [HTTPHeaderField(name: "X-Token", value: "abc")],
            timeout: .seconds(5)
        )
        #expect(response.status == 200)
        #expect(response.head.headers.last(named: "content-type") == "text/event-stream")
        #expect(response.text == "id: 1\ndata: event 1\n\nid: 2\ndata: event 2\n\n")
        // The server's request log arrives on its stdout, maybe after the response: wait for it.
        #expect(
            await server.wait { _ in server.requests("/few").contains { $0.headers?["x-token"] == "abc" } },
            "the request with X-Token: abc was not logged: \(server.requests("/few"))"
        )
    }

    /// Any status is an answer, with its body: judging it is the caller's job.
    @Test func returnsANon200AnswerWithItsBody() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let response = try await fetch(url: server.url("/status/404"), timeout: .seconds(5))
        #expect(response.status == 404)
        #expect(response.head.statusLine == "HTTP/1.1 404 Status")
        #expect(response.text == "data: never\n\n")
    }

    /// Redirects are followed; the answer is the final response's head and body only.
    @Test func followsARedirect() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let response = try await fetch(url: server.url("/redirect/302?to=/few?n=1"), timeout: .seconds(5))
        #expect(response.status == 200)
        #expect(response.text == "id: 1\ndata: event 1\n\n")
    }

    /// A compressed body is decoded.
    @Test func decodesACompressedBody() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let response = try await fetch(url: server.url("/gzip"), timeout: .seconds(5))
        #expect(response.head.headers.last(named: "content-encoding") == "gzip")
        #expect(response.text == "id: z1\ndata: zipped\n\n")
    }

    /// A server that never answers: a timeout error, close to the timeout.
    @Test func timesOutWhenNoAnswerComes() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let started = ContinuousClock.now
        let error = await #expect(throws: FetchError.self) {
            try await fetch(url: server.url("/silent"), timeout: .milliseconds(400))
        }
        let elapsed = ContinuousClock.now - started
        #expect(error == .timedOut(after: .milliseconds(400)))
        #expect(error?.description == "no complete response within 400 ms")
        #expect(elapsed >= .milliseconds(350))
        #expect(elapsed < .seconds(3))
    }

    /// Nothing listening on the port: a connection error at once, naming libcurl's reason.
    @Test func reportsARefusedConnection() async throws {
        let (socket, port) = try boundPortNotListening()
        defer { close(socket) }
        let started = ContinuousClock.now
        let error = await #expect(throws: FetchError.self) {
            try await fetch(url: "http://127.0.0.1:\(port)/stats", timeout: .seconds(30))
        }
        // At once, not after the timeout (generous: a loaded machine can take seconds to schedule us).
        #expect(ContinuousClock.now - started < .seconds(15))
        guard case .connectionFailed(let code, let message) = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(code == 7)  // CURLE_COULDNT_CONNECT
        #expect(message.lowercased().contains("connect"))
        #expect(error?.description.hasPrefix("no response (curl 7): ") == true)
    }

    /// A body over the limit aborts the transfer instead of filling memory.
    @Test func refusesABodyOverTheLimit() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let error = await #expect(throws: FetchError.self) {
            try await fetch(url: server.url("/big?mib=2"), timeout: .seconds(10), maxBodyBytes: 64 * 1024)
        }
        #expect(error == .bodyTooLarge(limit: 64 * 1024))
    }

    /// Bad input is refused before anything is sent.
    @Test func refusesBadInput() async {
        await #expect(throws: FetchError.invalidURL("ftp://127.0.0.1/x")) {
            try await fetch(url: "ftp://127.0.0.1/x", timeout: .seconds(1))
        }
        await #expect(throws: FetchError.invalidHeader("X:Bad")) {
            try await fetch(
                url: "http://127.0.0.1:1/",
                headers: [HTTPHeaderField(name: "X:Bad", value: "x")],
                timeout: .seconds(1)
            )
        }
    }

    /// Cancelling the task aborts the transfer at once.
    @Test func endsWhenCancelled() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let task = Task { try await fetch(url: server.url("/silent"), timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(10), "at once, not after the 30 s timeout")
    }

    /// A port on 127.0.0.1 that refuses connections: bound (so nothing else takes it) but not listening. Returns the
    /// socket, to close after the test, and the port.
    private func boundPortNotListening() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        if !bound { close(fd) }
        try #require(bound)
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

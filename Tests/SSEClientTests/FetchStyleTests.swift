import Foundation
import SSEClient
import Testing

/// Fetch-style requests (a method other than GET, or a body): the method and body are sent on every attempt and
/// on redirects by fetch's rule (WHATWG Fetch, "HTTP-redirect fetch": 301/302 turn a POST into a GET, 303 turns
/// anything but GET/HEAD into a GET, both without a body; 307/308 re-send method and body).
@Suite("Fetch-style requests", .serialized)
struct FetchStyleTests {
    static let body = #"{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true}"#

    static func configuration(method: String = "POST", reconnections: Int = 0) -> EventSource.Configuration {
        var configuration = EventSource.Configuration()
        configuration.method = method
        configuration.body = Array(body.utf8)
        configuration.headers = [HTTPHeaderField(name: "Content-Type", value: "application/json")]
        configuration.initialReconnectionTime = .milliseconds(10)
        configuration.maxReconnections = reconnections
        return configuration
    }

    @Test func aPostSendsItsBodyAndReSendsItOnReconnectionWithLastEventID() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let source = try EventSource(url: server.url("/echo"), configuration: Self.configuration(reconnections: 1))
        #expect(source.configuration.isFetchStyle)
        let result = await collect(source)
        #expect(result.data == ["echo 1", "echo 2"])
        // The server's records come through its stdout: wait for them.
        _ = await server.wait { _ in server.requests("/echo").count >= 2 }
        let requests = server.requests("/echo")
        try #require(requests.count == 2)
        for request in requests {
            #expect(request.method == "POST")
            #expect(request.body == Self.body)
            #expect(request.headers?["content-type"] == "application/json")
            #expect(request.headers?["expect"] == nil, "fetch sends no Expect: 100-continue")
        }
        #expect(requests[0].headers?["last-event-id"] == nil)
        #expect(requests[1].headers?["last-event-id"] == "e1")
    }

    @Test func aBodyWithoutContentTypeGetsNoneFromLibcurl() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        var configuration = Self.configuration()
        configuration.headers = []
        let result = await collect(try EventSource(url: server.url("/echo"), configuration: configuration))
        #expect(result.data == ["echo 1"])
        _ = await server.wait { _ in !server.requests("/echo").isEmpty }
        let request = try #require(server.requests("/echo").first)
        #expect(request.headers?["content-type"] == nil, "libcurl's form type must not be added: \(request)")
        #expect(request.body == Self.body)
    }

    @Test(
        "redirects follow fetch's rule",
        arguments: [
            ("POST", 301, "GET", false), ("POST", 302, "GET", false), ("POST", 303, "GET", false),
            ("POST", 307, "POST", true), ("POST", 308, "POST", true),
            ("PUT", 301, "PUT", true), ("PUT", 302, "PUT", true), ("PUT", 307, "PUT", true),
        ]
    )
    func redirect(method: String, status: Int, expectedMethod: String, keepsBody: Bool) async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let source = try EventSource(
            url: server.url("/redirect/\(status)?to=/echo"),
            configuration: Self.configuration(method: method)
        )
        let result = await collect(source)
        #expect(result.data == ["echo 1"], "\(method) then \(status)")
        _ = await server.wait { _ in
            !server.requests("/redirect/\(status)").isEmpty && !server.requests("/echo").isEmpty
        }
        let redirect = try #require(server.requests("/redirect/\(status)").first)
        #expect(redirect.method == method)
        #expect(redirect.body == Self.body)
        let followed = try #require(server.requests("/echo").first)
        #expect(followed.method == expectedMethod, "\(method) then \(status)")
        #expect(followed.body == (keepsBody ? Self.body : ""), "\(method) then \(status)")
    }

    @Test func aSeeOtherAnsweringAnotherMethodIsNotFollowedWithTheWrongMethod() async throws {
        // fetch would follow it with a GET; libcurl would keep PUT: the attempt fails with the 303 instead.
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let source = try EventSource(
            url: server.url("/redirect/303?to=/echo"),
            configuration: Self.configuration(method: "PUT")
        )
        let result = await collect(source)
        #expect(result.closed??.kind == .badStatus)
        #expect(result.closed??.status == 303)
        _ = await server.wait { _ in !server.requests("/redirect/303").isEmpty }
        #expect(server.requests("/redirect/303").first?.method == "PUT")
        #expect(server.requests("/echo").isEmpty)
    }

    @Test(arguments: ["", "GE T", "CONNECT", "trace", "TRACK", "HEAD", "PO\nST"])
    func anUnusableMethodIsRefused(_ method: String) {
        var configuration = EventSource.Configuration()
        configuration.method = method
        #expect(throws: EventSourceError.self) {
            try EventSource(url: "http://127.0.0.1:9/", configuration: configuration)
        }
        #expect((try? EventSource.validate(method: method)) == nil)
    }

    @Test(arguments: ["POST", "PUT", "PATCH", "DELETE", "QUERY"])
    func aTokenMethodIsAccepted(_ method: String) throws {
        try EventSource.validate(method: method)
    }
}

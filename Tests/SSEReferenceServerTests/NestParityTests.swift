import HTTPTypes
import Hummingbird
import HummingbirdSSE
import SSETestSupport
import ServerSentEvents
import Testing

@testable import SSEReferenceServer

/// The reference server, given the events of each Nest capture's handler, sends Nest 11.1's bytes: the same body,
/// framed in the same chunks (one write per event), and the same header set.
@Suite struct NestParityTests {
    struct Probe: Sendable, CustomTestStringConvertible {
        var capture: String
        var events: [MessageEvent]
        var failure: SSESourceError? = nil
        var options = SSERouteOptions()
        var testDescription: String { capture }
    }

    /// Every capture's handler, from `fixtures/nest/handlers.json` (shared with the encoder's parity test).
    static let probes: [Probe] = {
        guard let handlers = try? NestCaptureHandler.loadAll(), !handlers.isEmpty else {
            fatalError("fixtures/nest/handlers.json is missing or malformed")
        }
        return handlers.map { handler in
            var fields = HTTPFields()
            for header in handler.headers { fields[HTTPField.Name(header.name)!] = header.value }
            return Probe(
                capture: handler.capture,
                events: handler.referenceEvents,
                failure: handler.error.map(SSESourceError.init),
                options: SSERouteOptions(status: HTTPResponse.Status(code: handler.status), headers: fields)
            )
        }
    }()

    @Test("same body, chunks and headers as the Nest capture", arguments: probes)
    func parity(probe: Probe) async throws {
        let capture = try Fixtures.nestCapture(probe.capture)
        let router = Router()
        router.sse("probe", options: probe.options) { _, _ in
            PacedEvents(events: probe.events, failure: probe.failure)
        }
        try await withLiveRouter(router) { port in
            let wire = try HTTPWire(
                parsing: try await RawHTTPClient.exchange(port: port, request: RawHTTPClient.request("/probe"))
            )
            #expect(wire.status == capture.status)
            #expect(capture.comparableHeaders.count >= 7 && !capture.chunks.isEmpty)
            #expect(wire.comparableHeaders == capture.comparableHeaders)
            #expect(wire.bodyText == capture.bodyText)
            #expect(wire.chunks == capture.chunks)
            #expect(wire.complete && capture.complete)
        }
    }

    @Test(
        "the sample 28-sse capture is a prefix of the /sse scenario",
        arguments: ["nest11.1.19_sample28_sse", "nest11.0.5_sample28_sse"]
    )
    func sample28(capture name: String) async throws {
        let capture = try Fixtures.nestCapture(name)
        let expected = capture.body
        let server = try await ReferenceServer.start()
        do {
            let bytes = try await RawHTTPClient.exchange(
                port: server.port,
                request: RawHTTPClient.request("/sse?interval=5")
            ) { bytes in
                ((try? HTTPWire(parsing: bytes))?.body.count ?? 0) >= expected.count
            }
            let wire = try HTTPWire(parsing: bytes)
            #expect(wire.status == 200)
            #expect(wire.comparableHeaders == capture.comparableHeaders)
            #expect(Array(wire.body.prefix(expected.count)) == expected)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    @Test("the in-memory router answers as the live server does")
    func inMemoryRouter() async throws {
        let capture = try Fixtures.nestCapture("nest11.1.19_probe_value-9")
        let router = Router()
        router.sse("probe") { _, _ in
            PacedEvents(events: [MessageEvent(data: "before"), MessageEvent(data: .json([1, 2])), "after"])
        }
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/probe", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == capture.bodyText)
                let names = NestSSEHeaders.fields.map(\.name)
                for name in names {
                    #expect(response.headers[name] == capture.header(name.rawName))
                }
            }
        }
    }
}

extension MessageEvent: ExpressibleByUnicodeScalarLiteral {}
extension MessageEvent: ExpressibleByExtendedGraphemeClusterLiteral {}
extension MessageEvent: ExpressibleByStringLiteral {
    /// `"text"` as an event with that data and nothing else.
    public init(stringLiteral value: String) { self.init(data: .string(value)) }
}

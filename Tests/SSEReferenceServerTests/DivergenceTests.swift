import Hummingbird
import HummingbirdSSE
import ServerSentEvents
import Testing

@testable import SSEReferenceServer

/// DESIGN.md, "Deliberate divergences": one test per row, each showing that the reference server does what the
/// application meant where Nest loses or corrupts the event. Expectations come from the WHATWG dispatch rules: a
/// block is dispatched only if it has a `data` line (9.2.6, "If the data buffer is an empty string, set the data
/// buffer and the event type buffer to the empty string and return").
@Suite struct DivergenceTests {
    /// Serves `events` on a generic `@Sse()` route and returns the response.
    func serve(_ events: [MessageEvent]) async throws -> HTTPWire {
        let box = Box()
        let router = Router()
        router.sse("probe") { _, _ in PacedEvents(events: events, pause: .zero) }
        try await withLiveRouter(router) { port in
            box.wire = try HTTPWire(
                parsing: try await RawHTTPClient.exchange(port: port, request: RawHTTPClient.request("/probe"))
            )
        }
        return try #require(box.wire)
    }

    final class Box: @unchecked Sendable { var wire: HTTPWire? }

    @Test("CR/LF inside type, id and retry: stripped as 11.1 does, never raw as 11.0.5 wrote them")
    func injectionStripped() async throws {
        let wire = try await serve([
            MessageEvent(data: "payload", id: "x\ny", type: "evil\ndata: injected"),
            MessageEvent(data: "payload2", id: "p\rq", type: "a\r\nb", retry: "10\n20"),
        ])
        let fixed = try Fixtures.nestCapture("nest11.1.19_probe_inject")
        let raw = try Fixtures.nestCapture("nest11.0.5_probe_inject")
        #expect(wire.bodyText == fixed.bodyText)
        #expect(wire.bodyText != raw.bodyText)
        // 11.0.5's bytes make an EventSource see an injected data line; ours give the two events the app sent.
        #expect(dispatches(of: raw.body).events.map(\.data) == ["injected\npayload", "payload2"])
        #expect(
            dispatches(of: wire.body).events == [
                ServerSentEvent(type: "evildata: injected", data: "payload", lastEventId: "xy"),
                ServerSentEvent(type: "ab", data: "payload2", lastEventId: "pq"),
            ]
        )
    }

    @Test("falsy data ('', 0, false, null) is written, so the client gets the event")
    func falsyDataWritten() async throws {
        let wire = try await serve([
            MessageEvent(data: ""), MessageEvent(data: .json(0)), MessageEvent(data: .json(false)),
            MessageEvent(data: .json(.null)),
        ])
        #expect(wire.bodyText == "\nid: 1\ndata: \n\nid: 2\ndata: 0\n\nid: 3\ndata: false\n\nid: 4\ndata: null\n\n")
        #expect(
            dispatches(of: wire.body).events == [
                ServerSentEvent(data: "", lastEventId: "1"), ServerSentEvent(data: "0", lastEventId: "2"),
                ServerSentEvent(data: "false", lastEventId: "3"), ServerSentEvent(data: "null", lastEventId: "4"),
            ]
        )
    }

    @Test("truthy number or boolean data is JSON-encoded and the stream goes on")
    func truthyScalarsEncoded() async throws {
        let wire = try await serve([
            MessageEvent(data: .json(42)), MessageEvent(data: .json(true)), MessageEvent(data: "after"),
        ])
        #expect(wire.complete)
        #expect(dispatches(of: wire.body).events.map(\.data) == ["42", "true", "after"])
    }

    @Test("retry: 0 is written")
    func retryZeroWritten() async throws {
        let wire = try await serve([MessageEvent(data: "now", retry: 0)])
        #expect(wire.bodyText == "\nid: 1\nretry: 0\ndata: now\n\n")
        #expect(dispatches(of: wire.body).reconnectionTime == 0)
    }

    @Test("a numeric id 0 is written as id: 0 and does not use the counter")
    func idZeroWritten() async throws {
        let wire = try await serve([
            MessageEvent(data: "a"), MessageEvent(data: "b", id: .number(0)), MessageEvent(data: "c"),
        ])
        #expect(wire.bodyText == "\nid: 1\ndata: a\n\nid: 0\ndata: b\n\nid: 2\ndata: c\n\n")
        #expect(dispatches(of: wire.body).events.map(\.lastEventId) == ["1", "0", "2"])
    }

    @Test("the ids capture differs from ours only where id: 0 was given")
    func idsCaptureModuloIdZero() async throws {
        let wire = try await serve([
            "a", MessageEvent(data: "b", id: "user-7"), "c", MessageEvent(data: "d", id: 0),
            MessageEvent(data: "e", id: ""), "f",
        ])
        let capture = try Fixtures.nestCapture("nest11.1.19_probe_ids")
        // Nest: d takes the counter (3), so e and f get 4 and 5. We write id: 0 and e, f get 3 and 4.
        let nestMinusDivergence = capture.bodyText
            .replacingOccurrences(of: "id: 3\ndata: d", with: "id: 0\ndata: d")
            .replacingOccurrences(of: "id: 4\ndata: e", with: "id: 3\ndata: e")
            .replacingOccurrences(of: "id: 5\ndata: f", with: "id: 4\ndata: f")
        #expect(capture.bodyText.contains("id: 3\ndata: d"))
        #expect(wire.bodyText == nestMinusDivergence)
    }
}

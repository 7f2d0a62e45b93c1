import Foundation
import SSEScenarios
import SSETestSupport
import ServerSentEvents
import Testing

/// The encoder against bytes real NestJS 11.1.19 servers sent (fixtures/nest/, see its README for the handlers).
struct NestEventEncoderTests {
    /// Encodes `events` as one connection, then `error` if given, exactly as the server writes them: the preamble
    /// and one write per event.
    static func writes(_ events: [MessageEvent], error: String? = nil) -> [[UInt8]] {
        var encoder = NestEventEncoder()
        var writes = [NestEventEncoder.preamble]
        writes += events.map { encoder.encode($0) }
        if let error { writes.append(encoder.encodeError(message: error)) }
        return writes
    }

    /// Every capture's handler, from `fixtures/nest/handlers.json` (shared with the reference server's parity test).
    static let cases: [NestCaptureHandler] = {
        guard let handlers = try? NestCaptureHandler.loadAll(), !handlers.isEmpty else {
            fatalError("fixtures/nest/handlers.json is missing or malformed")
        }
        return handlers
    }()

    @Test(arguments: cases)
    func matchesNestWriteForWrite(_ testCase: NestCaptureHandler) throws {
        let capture = try NestCapture.load(testCase.capture + ".raw")
        #expect(capture.complete, "the capture of a finished stream ends with the chunked terminator")
        let ours = Self.writes(testCase.referenceEvents, error: testCase.error)
        #expect(ours.count == capture.chunks.count)
        for (index, (mine, nest)) in zip(ours, capture.chunks).enumerated() {
            #expect(
                mine == nest,
                "write \(index): ours \(String(decoding: mine, as: UTF8.self).debugDescription), Nest \(String(decoding: nest, as: UTF8.self).debugDescription)"
            )
        }
    }

    @Test(arguments: ["nest11.1.19_sample28_sse.raw", "nest11.0.5_sample28_sse.raw"])
    func sample28IsAPrefixOfTheEndlessStream(_ name: String) throws {
        let capture = try NestCapture.load(name)
        #expect(!capture.complete, "the sample's interval never completes; curl cut it")
        #expect(capture.chunks.count >= 2)
        let ours = Self.writes(
            Array(repeating: MessageEvent(data: .json(["hello": "world"])), count: capture.chunks.count - 1)
        )
        #expect(ours == capture.chunks)
    }

    @Test func nest1105InjectionIsNotReproduced() throws {
        // Nest 11.0.5 wrote CR/LF from `type`, `id` and `retry` raw: a field-injection defect. We write 11.1's bytes.
        let old = try NestCapture.load("nest11.0.5_probe_inject.raw")
        let new = try NestCapture.load("nest11.1.19_probe_inject.raw")
        let ours = Self.writes([
            MessageEvent(data: "payload", id: "x\ny", type: "evil\ndata: injected"),
            MessageEvent(data: "payload2", id: "p\rq", type: "a\r\nb", retry: "10\n20"),
        ])
        #expect(ours == new.chunks)
        #expect(ours != old.chunks)
        var parser = EventStreamParser()
        let events = EventStreamParser.events(in: parser.parse(ours.flatMap { $0 }))
        #expect(
            events == [
                ServerSentEvent(type: "evildata: injected", data: "payload", lastEventId: "xy"),
                ServerSentEvent(type: "ab", data: "payload2", lastEventId: "pq"),
            ]
        )
        #expect(parser.reconnectionTime == 1020)
    }

    // MARK: Deliberate divergences (DESIGN.md): each one is what the user meant, where Nest loses the event.

    @Test(arguments: [
        (MessageData.string(""), "data: \n"),
        (MessageData.json(0), "data: 0\n"),
        (MessageData.json(false), "data: false\n"),
        (MessageData.json(nil), "data: null\n"),
    ])
    func falsyDataIsWrittenSoItIsDispatched(_ data: MessageData, _ line: String) {
        // Nest 11.x writes `id: N` and the blank line with no `data:` line: no client dispatches it.
        var encoder = NestEventEncoder()
        let bytes = encoder.encode(MessageEvent(data: data))
        #expect(String(decoding: bytes, as: UTF8.self) == "id: 1\n" + line + "\n")
        var parser = EventStreamParser()
        let events = EventStreamParser.events(in: parser.parse(bytes))
        #expect(events.count == 1)
    }

    @Test(arguments: [(JSONValue.number(42), "42"), (.bool(true), "true"), (.number(1.5), "1.5")])
    func truthyNumberAndBooleanDataAreJSONEncoded(_ value: JSONValue, _ text: String) {
        // Nest 11.x throws on these and ends the stream silently.
        var encoder = NestEventEncoder()
        #expect(
            String(decoding: encoder.encode(MessageEvent(data: .json(value))), as: UTF8.self)
                == "id: 1\ndata: \(text)\n\n"
        )
    }

    @Test func retryZeroIsWritten() {
        // Nest 11.x drops `retry: 0` (a truthy test); newer Nest writes it.
        var encoder = NestEventEncoder()
        #expect(
            String(decoding: encoder.encode(MessageEvent(data: "x", retry: 0)), as: UTF8.self)
                == "id: 1\nretry: 0\ndata: x\n\n"
        )
    }

    @Test func numericZeroIdIsWritten() {
        // Nest 11.x replaces a numeric `id: 0` with the counter; we write it, and the counter is not consumed.
        var encoder = NestEventEncoder()
        let first = encoder.encode(MessageEvent(data: "d", id: 0))
        let second = encoder.encode(MessageEvent(data: "e"))
        #expect(String(decoding: first + second, as: UTF8.self) == "id: 0\ndata: d\n\nid: 1\ndata: e\n\n")
    }

    @Test func lineBreaksInTypeIdAndRetryAreStripped() {
        var encoder = NestEventEncoder()
        let text = String(
            decoding: encoder.encode(MessageEvent(data: "p", id: "a\r\nb", type: "t\ry\nz", retry: "1\r\n0")),
            as: UTF8.self
        )
        #expect(text == "event: tyz\nid: ab\nretry: 10\ndata: p\n\n")
    }

    // MARK: Nest behaviour kept as is.

    @Test func absentDataWritesNoDataLine() {
        // `{type:'only-type'}` and `{id:'only-id'}`: Nest writes no data line, and neither do we.
        var encoder = NestEventEncoder()
        #expect(
            String(decoding: encoder.encode(MessageEvent(data: nil, type: "only-type")), as: UTF8.self)
                == "event: only-type\nid: 1\n\n"
        )
        #expect(
            String(decoding: encoder.encode(MessageEvent(data: nil, id: "only-id")), as: UTF8.self) == "id: only-id\n\n"
        )
    }

    @Test func retryTextIsWrittenAsIs() {
        var encoder = NestEventEncoder()
        #expect(
            String(decoding: encoder.encode(MessageEvent(data: "x", retry: "abc")), as: UTF8.self)
                == "id: 1\nretry: abc\ndata: x\n\n"
        )
    }

    @Test func stringDataSplitsOnEveryLineBreakKind() {
        var encoder = NestEventEncoder()
        let text = String(decoding: encoder.encode(MessageEvent(data: "a\r\n\r\nb\r\rc\n")), as: UTF8.self)
        #expect(text == "id: 1\ndata: a\ndata: \ndata: b\ndata: \ndata: c\ndata: \n\n")
    }
}

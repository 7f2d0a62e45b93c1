import SSEClient
import Testing

@testable import SSEConformance

/// Each passive check against a synthetic exchange that keeps its rule and one that breaks it.
struct PassiveCheckTests {
    static let good = FakeProbes(
        primaryExchange: Wire.goodPrimary,
        reconnectionExchange: Wire.goodPrimary,
        clients: [Wire.goodPrimary, Wire.goodPrimary]
    )

    static func with(primary: Exchange) -> FakeProbes {
        FakeProbes(primaryExchange: primary, reconnectionExchange: Wire.goodPrimary, clients: [Wire.goodPrimary])
    }

    @Test(
        "each passive check: a well-behaved stream passes outright",
        arguments: [
            "http/status-ok", "http/content-type", "http/no-compression", "http/streaming-body", "http/cache-control",
            "framing/utf8", "framing/bom", "framing/line-endings", "framing/known-fields",
            "framing/terminated-promptly",
            "framing/dispatchable-blocks", "framing/id-no-null", "framing/retry-digits", "reconnect/served-again",
            "delivery/unbuffered", "delivery/concurrent-clients",
        ]
    )
    func passesAWellBehavedStream(_ id: String) async {
        let result = await judge(id, Self.good)
        #expect(
            result.status == .pass,
            "\(id): \(result.status) \(result.expected) / \(result.actual) \(result.message)"
        )
    }

    @Test("reconnect/last-event-id-accepted: a reconnection that carried Last-Event-ID, served, passes")
    func lastEventIdAcceptedPassesAReconnectionThatCarriedIt() async {
        var probes = Self.good
        probes.reconnectionExchange = Wire.stream(
            [(0, "id: 6\ndata: x\n\n")],
            label: "reconnection",
            requestHeaders: [HTTPHeaderField(name: "Last-Event-ID", value: "5")]
        )
        #expect(await judge("reconnect/last-event-id-accepted", probes).status == .pass)
    }

    @Test("http/status-ok: a 500 fails") func statusNot200Fails() async {
        let result = await judge("http/status-ok", Self.with(primary: Wire.stream([(0, "oops")], status: 500)))
        #expect(result.status == .fail)
        #expect(result.actual.contains("500"))
    }

    @Test(
        "http/content-type: a media type other than text/event-stream fails",
        arguments: ["text/plain", "application/json", "text/event-streams"]
    )
    func wrongMediaTypeFails(_ type: String) async {
        let exchange = Wire.stream([(0, "data: x\n\n")], headers: [HTTPHeaderField(name: "Content-Type", value: type)])
        let result = await judge("http/content-type", Self.with(primary: exchange))
        #expect(result.status == .fail)
        #expect(result.actual == "Content-Type: \(type)")
    }

    @Test(
        "http/content-type: the media type is case-insensitive and may carry parameters",
        arguments: ["Text/Event-Stream; charset=utf-8", "text/event-stream;charset=UTF-8", " text/event-stream "]
    )
    func mediaTypeIsCaseInsensitiveWithParameters(_ type: String) async {
        let exchange = Wire.stream([(0, "data: x\n\n")], headers: [HTTPHeaderField(name: "content-type", value: type)])
        #expect(await judge("http/content-type", Self.with(primary: exchange)).status == .pass)
    }

    @Test("http/cache-control: no Cache-Control warns, and fails under --strict")
    func missingCacheControlWarnsAndFailsUnderStrict() async {
        let exchange = Wire.stream(
            [(0, "data: x\n\n")],
            headers: [HTTPHeaderField(name: "Content-Type", value: "text/event-stream")]
        )
        let warned = await judge("http/cache-control", Self.with(primary: exchange))
        #expect(warned.status == .warn)
        #expect(warned.actual == "no Cache-Control header")
        let strict = await judge("http/cache-control", Self.with(primary: exchange)) { $0.strict = true }
        #expect(strict.status == .fail)
    }

    @Test("http/no-compression: a gzip-encoded stream warns") func compressionWarns() async {
        let exchange = Wire.stream(
            [(0, "data: x\n\n")],
            headers: Wire.sseHeaders + [HTTPHeaderField(name: "Content-Encoding", value: "gzip")]
        )
        let result = await judge("http/no-compression", Self.with(primary: exchange))
        #expect(result.status == .warn)
        #expect(result.actual.contains("gzip"))
    }

    @Test("http/streaming-body: a Content-Length warns") func contentLengthWarns() async {
        let exchange = Wire.stream(
            [(0, "data: x\n\n")],
            headers: Wire.sseHeaders + [HTTPHeaderField(name: "Content-Length", value: "9")]
        )
        #expect(await judge("http/streaming-body", Self.with(primary: exchange)).status == .warn)
    }

    @Test("http/cors: opt-in with --origin; a missing Access-Control-Allow-Origin warns") func corsIsOptIn() async {
        #expect(await judge("http/cors", Self.good).status == .skip)
        let result = await judge("http/cors", Self.good) { $0.origin = "https://app.example" }
        #expect(result.status == .warn)
        let allowed = Wire.stream(
            [(0, "data: x\n\n")],
            headers: Wire.sseHeaders + [
                HTTPHeaderField(name: "Access-Control-Allow-Origin", value: "https://app.example")
            ]
        )
        #expect(
            await judge("http/cors", Self.with(primary: allowed)) { $0.origin = "https://app.example" }.status == .pass
        )
    }

    @Test("framing/utf8: invalid UTF-8 fails, at its byte offset") func invalidUTF8Fails() async {
        let exchange = Wire.bytes([(0, Array("data: a".utf8) + [0xFF, 0xFE] + Array("\n\n".utf8))])
        let result = await judge("framing/utf8", Self.with(primary: exchange))
        #expect(result.status == .fail)
        #expect(result.actual.contains("\\xFF"))
        #expect(result.evidence.summary.contains("byte 7"))
    }

    @Test("framing/bom: a leading BOM is fine, a later one at a line start fails") func leadingBOMIsFineLaterBOMFails()
        async
    {
        let leading = Wire.bytes([(0, [0xEF, 0xBB, 0xBF] + Array("data: a\n\n".utf8))])
        #expect(await judge("framing/bom", Self.with(primary: leading)).status == .pass)
        let later = Wire.bytes([(0, Array("data: a\n\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("data: b\n\n".utf8))])
        let result = await judge("framing/bom", Self.with(primary: later))
        #expect(result.status == .fail)
        #expect(result.actual.contains("byte 9"))
    }

    @Test("framing/line-endings: lone CR and mixed line ends warn, CRLF throughout passes")
    func loneCRAndMixedLineEndsWarn() async {
        let cr = await judge("framing/line-endings", Self.with(primary: Wire.stream([(0, "data: a\r\rdata: b\r\r")])))
        #expect(cr.status == .warn)
        #expect(cr.actual.contains("lone CR"))
        let mixed = await judge(
            "framing/line-endings",
            Self.with(primary: Wire.stream([(0, "data: a\r\n\r\ndata: b\n\n")]))
        )
        #expect(mixed.status == .warn)
        #expect(mixed.actual.contains("mixed"))
        let crlf = await judge(
            "framing/line-endings",
            Self.with(primary: Wire.stream([(0, "data: a\r\n\r\n:ping\r\n")]))
        )
        #expect(crlf.status == .pass)
    }

    @Test("framing/known-fields: a Data: field warns") func unknownFieldWarns() async {
        let result = await judge("framing/known-fields", Self.with(primary: Wire.stream([(0, "Data: a\ndata: b\n\n")])))
        #expect(result.status == .warn)
        #expect(result.actual.contains("Data"))
    }

    @Test("framing/terminated-promptly: a blank line 1 s after its event fails") func lateBlankLineFails() async {
        let exchange = Wire.stream([(0, "data: a\n"), (1.0, "\n")])
        let result = await judge("framing/terminated-promptly", Self.with(primary: exchange))
        #expect(result.status == .fail)
        #expect(result.actual.contains("1000 ms"))
    }

    @Test("framing/terminated-promptly: a blank line complete at its CR is on time though its LF is late")
    func blankLineCompleteAtCREvenIfLFIsLate() async {
        // "\r\n\r" then a late "\n": the CR already ended the blank line, so the event was dispatched on time.
        let exchange = Wire.stream([(0, "data: a\r\n\r"), (1.0, "\n")])
        #expect(await judge("framing/terminated-promptly", Self.with(primary: exchange)).status == .pass)
    }

    @Test("framing/terminated-promptly: an event left without its blank line while we listen fails")
    func eventLeftWithoutBlankLineWhileListeningFails() async {
        let exchange = Wire.stream([(0, "data: a\n\n"), (0.1, "data: b\n")], end: .stoppedListening, endTime: 3)
        let result = await judge("framing/terminated-promptly", Self.with(primary: exchange))
        #expect(result.status == .fail)
    }

    @Test("framing/terminated-before-close: an unterminated last event fails") func unterminatedLastEventFails() async {
        let exchange = Wire.stream([(0, "data: a\n\ndata: last\n")], end: .completed)
        let result = await judge("framing/terminated-before-close", Self.with(primary: exchange))
        #expect(result.status == .fail)
        #expect(result.evidence.summary.contains("byte 9"))
    }

    @Test("framing/terminated-before-close: an endless stream skips") func endlessStreamSkipsTerminatedBeforeClose()
        async
    {
        #expect(await judge("framing/terminated-before-close", Self.good).status == .skip)
    }

    @Test("framing/dispatchable-blocks: an event: block without data warns") func typedBlockWithoutDataWarns() async {
        let result = await judge(
            "framing/dispatchable-blocks",
            Self.with(primary: Wire.stream([(0, "event: only\nid: 1\n\nid: 2\n\n")]))
        )
        #expect(result.status == .warn)
        #expect(result.actual.contains("only"))
    }

    @Test("framing/id-no-null: an id holding NUL fails") func idWithNullFails() async {
        let result = await judge(
            "framing/id-no-null",
            Self.with(primary: Wire.stream([(0, "id: a\u{0}b\ndata: x\n\n")]))
        )
        #expect(result.status == .fail)
        #expect(result.actual.contains("\\x00"))
    }

    @Test("framing/retry-digits: a retry that is not digits fails", arguments: ["1s", "-1", "+5", "1.5", ""])
    func bogusRetryFails(_ value: String) async {
        let result = await judge(
            "framing/retry-digits",
            Self.with(primary: Wire.stream([(0, "retry: \(value)\ndata: x\n\n")]))
        )
        #expect(result.status == .fail)
    }

    @Test("reconnect/served-again: a reconnection refused by status fails, no answer is an error, a 204 skips")
    func reconnectionRefusedFailsAnd204Skips() async {
        var probes = Self.good
        probes.reconnectionExchange = Wire.stream(
            [(0, "busy")],
            label: "reconnection",
            status: 503,
            headers: [HTTPHeaderField(name: "Content-Type", value: "text/plain")]
        )
        let refused = await judge("reconnect/served-again", probes)
        #expect(refused.status == .fail)
        #expect(refused.expected == "the reconnection answered 200 with text/event-stream")
        // No answer within the window (a buffering proxy holding the head, a refused TCP connection) is not a
        // refusal: an EventSource simply tries again, and the harness could not judge.
        probes.reconnectionExchange = Exchange(
            label: "reconnection",
            url: "http://x",
            status: nil,
            end: .failed("no response head within 6001 ms")
        )
        let silent = await judge("reconnect/served-again", probes)
        #expect(silent.status == .error)
        #expect(
            silent.message
                == "the reconnection got no response within the window (--listen 6 s): no response head within 6001 ms"
        )
        probes.reconnectionExchange = Wire.stream([], label: "reconnection", status: 204, headers: [])
        #expect(await judge("reconnect/served-again", probes).status == .skip)
    }

    @Test("reconnect/last-event-id-accepted: a reconnection with Last-Event-ID answered 400 fails")
    func lastEventIdRejectedFails() async {
        var probes = Self.good
        probes.reconnectionExchange = Wire.stream(
            [(0, "bad request")],
            label: "reconnection",
            status: 400,
            headers: [HTTPHeaderField(name: "Content-Type", value: "text/plain")],
            requestHeaders: [HTTPHeaderField(name: "Last-Event-ID", value: "5")]
        )
        let result = await judge("reconnect/last-event-id-accepted", probes)
        #expect(result.status == .fail)
        #expect(result.actual.contains("400"))
    }

    @Test("reconnect/last-event-id-accepted: skipped when the stream set no id") func lastEventIdSkippedWithoutIds()
        async
    {
        #expect(await judge("reconnect/last-event-id-accepted", Self.good).status == .skip)
    }

    @Test("delivery/unbuffered: a burst after 1.5 s of silence fails") func burstAfterSilenceFails() async {
        let burst = Wire.stream([(1.5, "data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n")], end: .completed)
        let result = await judge("delivery/unbuffered", Self.with(primary: burst))
        #expect(result.status == .fail)
        #expect(result.actual.contains("1500 ms"))
    }

    @Test("delivery/concurrent-clients: a client served no event fails") func clientServedNothingFails() async {
        var probes = Self.good
        probes.clients = [
            Wire.goodPrimary, Wire.stream([(0, "\n")], label: "client 2", end: .stoppedListening, endTime: 6),
        ]
        let result = await judge("delivery/concurrent-clients", probes)
        #expect(result.status == .fail)
        #expect(result.actual.contains("client 2"))
    }

    @Test("close/server-complete-clean: a response that breaks fails") func brokenEndFails() async {
        let exchange = Wire.stream([(0, "data: a\n\n")], end: .broken("connection reset by peer"))
        let result = await judge("close/server-complete-clean", Self.with(primary: exchange))
        #expect(result.status == .fail)
        #expect(result.actual.contains("reset"))
    }

    @Test("delivery/heartbeat: the longest silence is information only") func heartbeatIsInformationOnly() async {
        let quiet = Wire.stream([(0, "data: a\n\n"), (40, "data: b\n\n")], end: .stoppedListening, endTime: 41)
        let result = await judge("delivery/heartbeat", Self.with(primary: quiet))
        #expect(result.status == .info)
        #expect(result.message.contains("40000 ms"))
    }

    @Test("framing/utf8: a line over --max-line is an error, not a pass") func aLineOverMaxLineIsAnErrorNotAPass() async
    {
        let long = String(repeating: "x", count: 200)
        let exchange = Wire.stream([(0, "data: a\n\ndata: \(long)\n\ndata: b\n\n")])
        let result = await judge("framing/utf8", Self.with(primary: exchange)) { $0.maxLine = 64 }
        #expect(result.status == .error)
        #expect(result.message.contains("--max-line"))
        // A rule broken elsewhere in the stream is still reported as broken.
        let broken = Wire.bytes([(0, Array("data: \(long)\n\ndata: ".utf8) + [0xFF] + Array("\n\n".utf8))])
        #expect(await judge("framing/utf8", Self.with(primary: broken)) { $0.maxLine = 64 }.status == .fail)
    }
}

import SSEClient
import Testing

@testable import SSEConformance

/// The verdicts that must hold on the servers people deploy (issue 10): buffering proxies and compressors, one
/// worker per stream, quiet and silent streams, streams that never open. Synthetic exchanges shaped like the
/// measured ones (nginx 1.22 with `proxy_buffering on`: the head and ~4 KiB blobs every ~3.3 s).
struct DeploymentCheckTests {
    /// One ~130-byte event, `id: n`.
    static func event(_ n: Int) -> String {
        "id: \(n)\ndata: {\"n\":\(n),\"text\":\"\(String(repeating: "x", count: 90))\"}\n\n"
    }

    /// Events 1... produced every 100 ms, released by a buffer in blobs of exactly `blob` bytes every `every` s.
    static func buffered(blob: Int = 4096, every: Double = 3.3, releases: Int, end: Double? = nil) -> Exchange {
        var text = ""
        var n = 1
        while text.utf8.count < blob * releases + 200 {
            text += event(n)
            n += 1
        }
        let bytes = Array(text.utf8)
        let chunks = (0..<releases).map { k in
            (every * Double(k + 1), Array(bytes[(k * blob)..<((k + 1) * blob)]))
        }
        var exchange = Wire.bytes(chunks, end: .stoppedListening, endTime: end ?? every * Double(releases) + 0.5)
        exchange.headTime = every
        return exchange
    }

    /// Events whose blank line arrived: counted on the bytes, as a client would dispatch them.
    static func completeEvents(in exchange: Exchange) -> Int {
        exchange.body.indices.dropFirst().count { exchange.body[$0] == 10 && exchange.body[$0 - 1] == 10 }
    }

    static func probes(primary: Exchange, clients: [Exchange]? = nil) -> FakeProbes {
        FakeProbes(primaryExchange: primary, reconnectionExchange: Wire.goodPrimary, clients: clients ?? [primary])
    }

    @Test("delivery/unbuffered: one blob after a held-back head fails, naming the proxy and its fix (--events 5)")
    func oneBlob() async {
        let result = await judge("delivery/unbuffered", Self.probes(primary: Self.buffered(releases: 1)))
        #expect(result.status == .fail)
        let events = Self.completeEvents(in: Self.buffered(releases: 1))
        #expect(
            result.actual.hasPrefix("nothing for 3300 ms, then all \(events) events within 0 ms: something buffers")
        )
        #expect(result.actual.contains("X-Accel-Buffering: no"))
        #expect(result.evidence.summary.contains("the response head itself came after 3300 ms"))
    }

    @Test("delivery/unbuffered: blobs released again and again fail as well (--events 100)")
    func severalBlobs() async {
        let result = await judge("delivery/unbuffered", Self.probes(primary: Self.buffered(releases: 3)))
        #expect(result.status == .fail)
        let events = Self.completeEvents(in: Self.buffered(releases: 3))
        #expect(
            result.actual.hasPrefix(
                "\(events) of \(events) events arrived in 3 bursts after silences of 3300 ms, 3300 ms, 3300 ms: something buffers the stream"
            )
        )
        #expect(result.evidence.summary.contains("3 release(s) of exactly 4096 B: a buffer's size"))
    }

    @Test("delivery/unbuffered: one blob that cut an event, then events one by one, still fails (the cut shows it)")
    func oneCutBlobThenSpread() async {
        // A proxy that held the first 4096 bytes (cutting an event), then streamed: the one burst is most events
        // of none of the other rules' shapes, but the event cut at the blob's end and finished 500 ms later is.
        var text = ""
        var n = 1
        while text.utf8.count < 4096 + 200 {
            text += Self.event(n)
            n += 1
        }
        let bytes = Array(text.utf8)
        var chunks: [(Double, [UInt8])] = [(3.3, Array(bytes[0..<4096])), (3.8, Array(bytes[4096...]))]
        var time = 3.8
        for k in n..<(n + 40) {
            time += 0.1
            chunks.append((time, Array(Self.event(k).utf8)))
        }
        let primary = Wire.bytes(chunks, end: .stoppedListening, endTime: time + 0.5)
        let result = await judge("delivery/unbuffered", Self.probes(primary: primary))
        #expect(result.status == .fail)
        let cut = Self.completeEvents(in: Wire.bytes([(0, Array(bytes[0..<4096]))]))
        #expect(
            result.actual.hasPrefix(
                "\(cut) events arrived at once after 3300 ms of silence, the last one cut in two at byte 4096: its rest came 500 ms later"
            ),
            "\(result.actual)"
        )
    }

    @Test(
        "framing/terminated-promptly: an event a buffer release cut in two is the buffer's finding, not the framing's"
    )
    func cutEventIsNotAFramingFailure() async {
        let primary = Self.buffered(releases: 3)
        #expect(await judge("framing/terminated-promptly", Self.probes(primary: primary)).status == .pass)
        // The same wait on a stream that writes each blank line late is the framing's failure.
        let late = Wire.stream(
            [(0.1, "id: 1\ndata: a\n"), (0.9, "\n"), (1.0, "id: 2\ndata: b\n"), (1.8, "\n")],
            end: .stoppedListening,
            endTime: 2
        )
        #expect(await judge("framing/terminated-promptly", Self.probes(primary: late)).status == .fail)
    }

    @Test("delivery/unbuffered: events produced one by one pass, also a slow producer's")
    func spreadEventsPass() async {
        let paced = Wire.stream(
            (1...8).map { (Double($0), Self.event($0)) },
            end: .stoppedListening,
            endTime: 8.5
        )
        let result = await judge("delivery/unbuffered", Self.probes(primary: paced))
        #expect(result.status == .pass)
        #expect(result.evidence.summary == "8 passive events arrived spread out")
    }

    @Test("delivery/unbuffered: a compressed stream that delivers no event fails (compression without a flush)")
    func compressedAndSilent() async {
        var primary = Wire.stream(
            [],
            headers: Wire.sseHeaders + [HTTPHeaderField(name: "Content-Encoding", value: "gzip")],
            end: .stoppedListening,
            endTime: 6
        )
        primary.headTime = 0.01
        let result = await judge("delivery/unbuffered", Self.probes(primary: primary))
        #expect(result.status == .fail)
        #expect(
            result.actual
                == "the response is compressed (Content-Encoding: gzip) and not one event arrived in 6000 ms (0 decoded byte(s)): the compressor holds the events; flush it after each event, or do not compress text/event-stream"
        )
    }

    @Test("delivery/unbuffered: a stream that opens and sends nothing cannot be judged (an error: exit 2)")
    func silentStream() async {
        let silent = Wire.stream([], end: .stoppedListening, endTime: 6)
        let probes = FakeProbes(primaryExchange: silent, reconnectionExchange: silent, clients: [silent])
        let result = await judge("delivery/unbuffered", probes)
        #expect(result.status == .error)
        #expect(result.message.hasPrefix("the stream opened (HTTP/1.1 200 OK) but not one byte arrived in 6000 ms"))
        // And no framing check passes on it: there is nothing to judge.
        let framing = await judge("framing/utf8", probes)
        #expect(framing.status == .skip)
        #expect(framing.message.hasPrefix("the stream(s) opened but sent no body byte while we listened"))
    }

    @Test("delivery/concurrent-clients: one client served at a time fails (clients held open together)")
    func oneAtATime() async {
        let served = Wire.stream((1...5).map { (0.1 * Double($0), Self.event($0)) }, label: "client 1 of 3")
        let waiting = (2...3).map { Wire.stream([], label: "client \($0) of 3", end: .stoppedListening, endTime: 6) }
        let result = await judge(
            "delivery/concurrent-clients",
            Self.probes(primary: Wire.goodPrimary, clients: [served] + waiting)
        )
        #expect(result.status == .fail)
        #expect(result.expected == "each of 3 clients held open together gets events, as the first connection did")
        #expect(
            result.actual
                == "client 2 of 3, client 3 of 3 got no event in 6000 ms while client 1 of 3 was served: the target serves 1 stream(s) at a time (one worker per stream, such as gunicorn's default sync worker, or a single-subscriber channel); clients that stay open, as browsers do, wait"
        )
    }

    @Test("delivery/concurrent-clients: a quiet stream of comments passes when every client gets its comments")
    func commentsOnly() async {
        func quiet(_ label: String) -> Exchange {
            Wire.stream([(0.2, ": keep-alive\n\n"), (0.4, ": keep-alive\n\n")], label: label, end: .stoppedListening)
        }
        let result = await judge(
            "delivery/concurrent-clients",
            Self.probes(primary: quiet("primary"), clients: [quiet("client 1 of 2"), quiet("client 2 of 2")])
        )
        #expect(result.status == .pass)
        #expect(result.evidence.summary == "2 simultaneous clients held open together got 28, 28 bytes")
        // A quiet primary and a client that got nothing: that client was not served.
        let starved = await judge(
            "delivery/concurrent-clients",
            Self.probes(
                primary: quiet("primary"),
                clients: [quiet("client 1 of 2"), Wire.stream([], label: "client 2 of 2", end: .stoppedListening)]
            )
        )
        #expect(starved.status == .fail)
        #expect(starved.actual.hasPrefix("client 2 of 2 got no byte in"))
    }

    @Test("delivery/concurrent-clients: a primary that got nothing leaves nothing to compare")
    func silentPrimarySkips() async {
        let silent = Wire.stream([], end: .stoppedListening, endTime: 6)
        let result = await judge("delivery/concurrent-clients", Self.probes(primary: silent))
        #expect(result.status == .skip)
        #expect(result.message.hasPrefix("the primary stream sent nothing in 6000 ms"))
    }

    @Test("framing/line-endings: a CR that is the last byte captured is undecided, not a lone CR")
    func trailingCRIsUndecided() async {
        let cut = Wire.stream(
            [(0.1, "id: 1\r\ndata: a\r\n\r\n"), (0.2, "id: 2\r\ndata: b\r\n\r")],
            end: .stoppedListening
        )
        #expect(await judge("framing/line-endings", Self.probes(primary: cut)).status == .pass)
        let lone = Wire.stream([(0.1, "id: 1\rdata: a\r\r")], end: .stoppedListening)
        #expect(await judge("framing/line-endings", Self.probes(primary: lone)).status == .warn)
    }

    @Test("http/status-ok: a stream that never opens is one failure; the checks that need a stream skip, naming it")
    func oneCauseOneFailure() async {
        let refused = Wire.stream(
            [(0, "{\"error\":\"unauthorized\"}")],
            status: 500,
            headers: [HTTPHeaderField(name: "Content-Type", value: "application/json")]
        )
        let probes = FakeProbes(primaryExchange: refused, reconnectionExchange: refused, clients: [refused])
        #expect(await judge("http/status-ok", probes).status == .fail)
        for id in ["http/content-type", "framing/utf8", "reconnect/served-again", "delivery/concurrent-clients"] {
            let result = await judge(id, probes) { $0.profile = .spec }
            #expect(result.status == .skip, "\(id): \(result.status)")
            #expect(
                result.message
                    == "the stream never opened (HTTP/1.1 500 Status; see http/status-ok): an EventSource fails for good, so there is no stream to judge",
                "\(id)"
            )
        }
        let html = Wire.stream(
            [(0, "<html>")],
            headers: [HTTPHeaderField(name: "Content-Type", value: "text/html")]
        )
        let typed = FakeProbes(primaryExchange: html, reconnectionExchange: html, clients: [html])
        #expect(await judge("http/content-type", typed).status == .fail)
        let skipped = await judge("reconnect/served-again", typed)
        #expect(skipped.status == .skip)
        #expect(skipped.message.contains("(Content-Type: text/html; see http/content-type)"))
    }

    @Test("http/no-compression: the warning says what was observed, not that every compressor holds events")
    func compressionSaysWhatWasSeen() async {
        let flushed = Wire.stream(
            [(0.1, "data: a\n\n"), (0.2, "data: b\n\n")],
            headers: Wire.sseHeaders + [HTTPHeaderField(name: "Content-Encoding", value: "gzip")]
        )
        let result = await judge("http/no-compression", Self.probes(primary: flushed))
        #expect(result.status == .warn)
        #expect(
            result.actual
                == "Content-Encoding: gzip; 2 event(s) still arrived here, so this compressor is flushed, but any compressor or proxy on the way must be too"
        )
    }
}

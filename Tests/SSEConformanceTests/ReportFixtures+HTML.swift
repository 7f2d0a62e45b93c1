import SSEClient

@testable import SSEConformance

/// The connections of the fixed failing run, for the HTML report: what a buffering proxy, a missing blank line, a
/// slow reconnection that is then reset, a refused client and a plain good stream look like.
extension ReportFixtures {
    /// Event data and a header value that would run script if they reached the HTML unescaped.
    static let injection = "<script>alert(1)</script>"
    static let attributeInjection = "\"><img src=x onerror=alert(2)>"

    /// The primary: `retry: 2000`, a comment, one event; 1.6 s of silence, then four events at once (one carrying
    /// a script tag); an event whose blank line comes 0.8 s after its last line; and `data: last` never
    /// terminated when the response ends.
    static var bufferedPrimary: Exchange {
        var exchange = Wire.stream(
            [
                (0.010, "retry: 2000\n\n"),
                (0.020, ": connected\n\n"),
                (0.100, "id: 1\ndata: first\n\n"),
                (
                    1.700,
                    "event: tick\nid: 2\ndata: \(injection)\n\nevent: tick\nid: 3\ndata: b\n\nid: 4\ndata: c\n\n"
                        + "event: update\nid: 5\ndata: {\"x\":1}\n\n"
                ),
                (1.800, "data: waits\n"),
                (2.600, "\n"),
                (2.700, "data: last"),
            ],
            label: "primary",
            headers: Wire.sseHeaders + [HTTPHeaderField(name: "X-Note", value: attributeInjection)],
            end: .completed,
            endTime: 2.75
        )
        exchange.startedAt = 0.05
        exchange.headTime = 0.008
        return exchange
    }

    /// The reconnection: 2 s after the primary ended (its retry), a head held back 1.2 s, one event, then a reset.
    static var slowReconnection: Exchange {
        var exchange = Wire.stream(
            [(1.210, "id: 6\ndata: again\n\n")],
            label: "reconnection",
            end: .broken("connection reset: Connection reset by peer"),
            endTime: 1.5,
            requestHeaders: [
                HTTPHeaderField(name: "Accept", value: "text/event-stream"),
                HTTPHeaderField(name: "Last-Event-ID", value: "5"),
            ]
        )
        exchange.startedAt = 0.05 + 2.75 + 2.0
        exchange.headTime = 1.2
        return exchange
    }

    /// A client that got no response.
    static var refusedClient: Exchange {
        var exchange = Exchange(
            label: "client 1 of 3",
            url: "http://127.0.0.1:9/sse",
            startedAt: 5,
            requestHeaders: [HTTPHeaderField(name: "Accept", value: "text/event-stream")],
            status: nil,
            end: .failed("connection refused: Failed to connect to 127.0.0.1 port 9"),
            endTime: 0.003
        )
        exchange.redirects = 0
        return exchange
    }

    /// A good stream: five events every 100 ms, still open when the probe stopped. Nothing to label.
    static var goodStream: Exchange {
        var exchange = Wire.goodPrimary
        exchange.label = "scenario typed connection 1"
        exchange.startedAt = 0.2
        exchange.headTime = 0.004
        return exchange
    }

    static var probes: [ProbeRecord] {
        [
            ProbeRecord(name: "primary", exchanges: [bufferedPrimary, slowReconnection], initialRetry: 1000),
            ProbeRecord(name: "client 1 of 3", exchanges: [refusedClient]),
            ProbeRecord(name: "scenario typed", exchanges: [goodStream]),
        ]
    }

    /// How many connections ``probes`` holds: one timeline each.
    static var connectionCount: Int { probes.reduce(0) { $0 + $1.exchanges.count } }
}

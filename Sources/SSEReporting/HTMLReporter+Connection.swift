import SSEConformance
import ServerSentEvents

extension HTMLReporter {
    /// One connection as the report shows it: the exchange, its stream re-read by the spec parser, where it
    /// stands in its probe (the wait before a reconnection and the `retry` in force) and what is worth a label.
    struct Connection {
        /// 1-based, across the whole report: the timeline's number.
        var index: Int
        /// The probe it belongs to.
        var probe: String
        /// 0 for a probe's first connection, then 1, 2... for its reconnections.
        var number: Int
        var exchange: Exchange
        /// The body read as an event stream; nil when the response did not open one.
        var stream: StreamAnalysis?
        /// Seconds from the end of the previous connection of the probe to this one's request.
        var waitBefore: Double?
        /// The reconnection time in force when this connection was made (ms), and whether the stream set it.
        var retryInForce: Int?
        var retryFromStream = false
        var findings: [Finding] = []

        /// The time axis: from the drop before a reconnection (negative) or the request, to the last thing seen.
        var start: Double { -(waitBefore ?? 0) }
        var end: Double {
            max(exchange.endTime, exchange.headTime ?? 0, exchange.chunks.last?.time ?? 0, start + 0.001)
        }
    }

    /// Something a reader should see at a glance, over a span of the timeline.
    struct Finding {
        enum Kind: String {
            case noResponse = "no-response"
            case notStream = "not-stream"
            case headHeld = "head-held"
            case burst
            case pending
            case slowReconnection = "slow-reconnection"
            case dropped
        }

        var kind: Kind
        var from: Double
        var to: Double
        /// A word or two for the band's label in the drawing.
        var label: String
        /// The sentence listed under the drawing.
        var text: String
    }

    /// An event whose blank line came this much later than its last line was pending: a missing blank line. The
    /// grace `framing/terminated-promptly` allows, so a label and the check never disagree. (Bursts are
    /// ``ArrivalPattern/bursts(events:silence:)`` with the defaults `delivery/unbuffered` judges by.)
    static let pendingGrace = RunConfiguration.defaultTerminationGrace
    /// A head later than this after the request was held back.
    static let headHeldAfter = 1.0
    /// A reconnection is slow when a client following the `retry` in force gets the new response head more than
    /// this many seconds after the drop (browsers start at about 3 s).
    static let slowReconnectionAfter = 3.0
    /// Findings of one kind listed per connection (the rest are counted).
    static let findingsPerKind = 12

    /// Every connection of every probe, numbered in order, with its findings, one at a time: each is analysed,
    /// handed to `body` and let go, so a run of large streams is never held in memory all at once.
    static func eachConnection(_ records: [ProbeRecord], redactor: Redactor, _ body: (Connection) -> Void) {
        var index = 0
        for record in records {
            var retry = record.initialRetry
            var fromStream = false
            var previous: Exchange?
            for (number, exchange) in record.exchanges.enumerated() {
                index += 1
                var connection = Connection(
                    index: index,
                    probe: record.name,
                    number: number,
                    exchange: exchange,
                    stream: exchange.opensEventSource ? StreamAnalysis(exchange) : nil
                )
                if let previous {
                    connection.waitBefore = max(0, exchange.startedAt - (previous.startedAt + previous.endTime))
                    connection.retryInForce = retry
                    connection.retryFromStream = fromStream
                }
                // Findings quote the target (status lines, header values, libcurl's messages with URLs).
                connection.findings = findings(connection).map { finding in
                    var finding = finding
                    finding.text = redactor.scrub(finding.text)
                    return finding
                }
                if let set = connection.stream?.reconnectionTime {
                    retry = set
                    fromStream = true
                }
                previous = exchange
                body(connection)
            }
        }
    }

    static func findings(_ connection: Connection) -> [Finding] {
        let exchange = connection.exchange
        var findings: [Finding] = []
        if exchange.status == nil {
            let reason = if case .failed(let why) = exchange.end { why } else { TranscriptText.describe(exchange.end) }
            findings.append(
                Finding(
                    kind: .noResponse,
                    from: 0,
                    to: exchange.endTime,
                    label: "no response",
                    text: "No response: \(reason)."
                )
            )
        } else if connection.stream == nil {
            findings.append(
                Finding(
                    kind: .notStream,
                    from: exchange.headTime ?? 0,
                    to: exchange.endTime,
                    label: "not a stream",
                    text:
                        "Not an event stream: \(exchange.statusLine), Content-Type \(exchange.header("Content-Type") ?? "(none)"); no events read."
                )
            )
        }
        if let head = exchange.headTime, head >= headHeldAfter {
            let withBody = exchange.chunks.first.map { $0.time - head < 0.02 } ?? false
            findings.append(
                Finding(
                    kind: .headHeld,
                    from: 0,
                    to: head,
                    label: "head held",
                    text: "Response head held back \(HTMLText.duration(head)) after the request"
                        + (withBody ? ", then sent with the first body bytes." : ".")
                )
            )
        }
        // A client that follows the retry in force gets the new head `retry + head time` after the drop. The probe's
        // own wait is not the server's doing (it reconnects when a check first needs the reconnection), so it is
        // shown but not judged.
        if connection.waitBefore != nil {
            let answered = exchange.headTime ?? exchange.endTime
            let retry = Double(connection.retryInForce ?? 0) / 1000
            if retry + answered > slowReconnectionAfter {
                findings.append(
                    Finding(
                        kind: .slowReconnection,
                        from: -min(retry, connection.waitBefore ?? 0),
                        to: answered,
                        label: "slow reconnection",
                        text:
                            "Slow reconnection: a client waiting the \(retryText(connection)) gets the new response \(exchange.headTime == nil ? "end" : "head") \(HTMLText.duration(retry + answered)) after the drop (the head took \(HTMLText.duration(answered)))."
                    )
                )
            }
        }
        if let stream = connection.stream {
            findings += streamFindings(stream, connection)
        }
        if exchange.droppedBytes > 0 {
            findings.append(
                Finding(
                    kind: .dropped,
                    from: exchange.chunks.first?.time ?? 0,
                    to: exchange.chunks.last?.time ?? exchange.endTime,
                    label: "not kept",
                    text:
                        "\(HTMLText.count(exchange.droppedBytes)) bytes from the middle of the body were not kept (transcript limit): the drawing shows the first and last parts, and the block cut by the gap is not judged."
                )
            )
        }
        return findings
    }

    static func streamFindings(_ stream: StreamAnalysis, _ connection: Connection) -> [Finding] {
        // Offsets are the body's own (across a gap in the kept bytes too); arrival times are looked up on them.
        let exchange = stream.exchange
        var findings: [Finding] = []
        let bursts = ArrivalPattern(stream).bursts()
        for burst in bursts.prefix(findingsPerKind) {
            findings.append(
                Finding(
                    kind: .burst,
                    from: burst.start - burst.silenceBefore,
                    to: burst.end,
                    label: "buffered?",
                    text:
                        "Silence then a burst (a buffering proxy or compressor?): \(HTMLText.duration(burst.silenceBefore)) of nothing, then \(burst.eventsCompleted) events at once at +\(HTMLText.duration(burst.start)) (\(HTMLText.count(burst.bytes)) bytes)."
                )
            )
        }
        if bursts.count > findingsPerKind {
            findings.append(more(bursts.count - findingsPerKind, "burst(s)", kind: .burst))
        }
        var late = 0
        for block in stream.blocks where block.event != nil {
            guard let wait = stream.wait(of: block), wait > pendingGrace,
                let lineTime = exchange.arrival(ofByte: block.lastLineEnd)
            else { continue }
            late += 1
            guard late <= findingsPerKind else { continue }
            findings.append(
                Finding(
                    kind: .pending,
                    from: lineTime,
                    to: lineTime + wait,
                    label: "event pending",
                    text:
                        "Event pending \(HTMLText.duration(wait)): its last line (byte \(block.lastLineEnd)) arrived at +\(HTMLText.duration(lineTime)), its blank line only at +\(HTMLText.duration(lineTime + wait))."
                )
            )
        }
        if late > findingsPerKind {
            findings.append(more(late - findingsPerKind, "late blank line(s)", kind: .pending))
        }
        if let tail = stream.unterminatedTail {
            let from = exchange.arrival(ofByte: tail.offset) ?? exchange.endTime
            let when = if case .stoppedListening = exchange.end { "when the probe stopped" } else { "when it ended" }
            findings.append(
                Finding(
                    kind: .pending,
                    from: from,
                    to: connection.end,
                    label: "event pending",
                    text:
                        "Event pending \(when): \(tail.length) byte(s) from byte \(tail.offset) never got their blank line (missing blank line?), not dispatched."
                )
            )
        }
        return findings
    }

    static func more(_ count: Int, _ what: String, kind: Finding.Kind) -> Finding {
        Finding(kind: kind, from: 0, to: 0, label: "", text: "\(count) more \(what) not listed.")
    }

    /// `retry 1000 ms in force (set by the stream)`.
    static func retryText(_ connection: Connection) -> String {
        guard let retry = connection.retryInForce else { return "no retry in force: the probe reconnects at once" }
        return
            "retry \(HTMLText.count(retry)) ms in force (\(connection.retryFromStream ? "set by the stream" : "initial"))"
    }

    /// How the connection ended, in a few words: clean end, reset, cut, still open when the probe stopped...
    static func endWords(_ end: ExchangeEnd) -> (kind: String, words: String) {
        switch end {
        case .completed: return ("clean", "clean end")
        case .stoppedListening: return ("open", "still open when the probe stopped")
        case .aborted: return ("aborted", "aborted by the probe")
        case .broken(let reason):
            if reason.contains("reset") { return ("reset", "reset") }
            if reason.contains("truncated") { return ("cut", "cut") }
            return ("broken", "broken")
        case .failed: return ("failed", "no response")
        case .idleTimeout: return ("idle", "idle timeout")
        }
    }
}

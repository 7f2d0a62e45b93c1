import SSEClient
import ServerSentEvents

/// One connection: a request made as an EventSource with no reconnection, recorded as an ``Exchange``.
extension LiveProbes {
    struct Listened {
        var exchange: Exchange
        /// The events kept (at most ``maxEventsKept``).
        var events: [ServerSentEvent]
        var lastEventId: String
        var reconnectionTime: Int?
        /// Every event dispatched, kept or not.
        var eventCount = 0
    }

    /// The most dispatched events a probe keeps (scenarios declare a few dozen; a flood is counted, not kept).
    static var maxEventsKept: Int { 10_000 }

    /// One request, as an EventSource with no reconnection: listens until `maxEvents` events, the end of the
    /// response, or `maxSeconds`; records everything. A member of a held-open `group` waits for the group's goal
    /// instead (events, or its first body byte) and does not hang up when it has it: it tells the group, which
    /// closes every member once all are there. `onOpen` is called when the response opens an event stream. With
    /// `sendsTargetRequest` the request carries the run's method and body (fetch-style).
    func listen(
        url: String,
        label: String,
        lastEventId: String?,
        maxEvents: Int,
        maxSeconds: Double,
        aborting: Bool = false,
        group: (members: ClientGroup, index: Int)? = nil,
        onOpen: (@Sendable () -> Void)? = nil,
        sendsTargetRequest: Bool = false
    ) async -> Listened {
        let started = clock.now
        var client = EventSource.Configuration()
        client.maxReconnections = 0
        client.lastEventId = lastEventId ?? ""
        client.headers = configuration.headers
        if let origin = configuration.origin { client.headers.append(HTTPHeaderField(name: "Origin", value: origin)) }
        client.httpVersion =
            configuration.http2 ? (url.lowercased().hasPrefix("https") ? .http2 : .http2PriorKnowledge) : .http1_1
        client.sharesConnections = false
        client.maxPendingEvents = 4096  // a flood waits in the socket, not in memory
        client.idleTimeout = .milliseconds(Int(configuration.idleTimeout * 1000))
        client.insecure = configuration.insecure
        client.caFile = configuration.caFile
        client.clientCertificateFile = configuration.clientCertificate
        client.clientKeyFile = configuration.clientKey
        client.abortsWithReset = aborting
        // The passive probes send the target's request (--method, --data) on every attempt; scenarios send GET.
        if sendsTargetRequest { configuration.applyRequest(to: &client) }
        client.parser = EventStreamParser.Configuration(
            maxLineLength: configuration.maxLine,
            maxEventSize: max(configuration.maxLine, 1 << 20)
        )
        client.transcript.recordsBody = true
        client.transcript.maxBodyBytes = max(4 << 20, configuration.maxLine * 2)
        let redactor = configuration.redactor
        client.transcript.redact = { name, value in redactor.header(name: name, value: value) }
        // Response heads are judged as received (a secret that happens to occur in a media type or an allowed
        // origin must not change a verdict); every report redacts them where it shows them.
        client.transcript.redactsResponseHeads = false
        let source: EventSource
        do {
            source = try EventSource(url: url, configuration: client)
        } catch {
            let exchange = Exchange(
                label: label,
                url: url,
                startedAt: seconds(started - runStart),
                status: nil,
                end: .failed("\(error)")
            )
            // A member that could not even start holds no one back.
            group?.members.ended(group!.index, waitedOut: false)
            return Listened(exchange: exchange, events: [], lastEventId: lastEventId ?? "", reconnectionTime: nil)
        }
        let stoppedByUs = StopFlag()
        group?.members.join(group!.index, source: source, stop: stoppedByUs)
        let watched = activity.map { activity in
            let id = activity.start(label: label, window: maxSeconds)
            return (id: id, task: Task { await self.watch(source, id: id, label: label, activity: activity) })
        }
        let timer = Task {
            // A held-open group's window may be extended while it listens (ClientGroup.extendWindow).
            var end = started + .milliseconds(Int(maxSeconds * 1000))
            while true {
                try? await Task.sleep(until: end, clock: clock)
                guard !Task.isCancelled else { return }
                guard let later = group?.members.windowEnd, later > end else { break }
                end = later
                if let watched { activity?.extend(watched.id, window: (seconds(later - started) * 10).rounded() / 10) }
            }
            stoppedByUs.set()
            source.close()
        }
        // A held-open client whose goal is bytes (a stream of comments only) is there at its first body byte.
        let bytesWatch = Task {
            guard let group else { return }
            while !Task.isCancelled {
                let bytes = source.transcript.attempts.first?.bodyBytes ?? 0
                group.members.received(group.index, bytes: bytes)
                if bytes > 0 { return }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        var events: [ServerSentEvent] = []
        var eventCount = 0
        var parserLastId = lastEventId ?? ""
        // A cancelled probe (the run was stopped: signal, deadline) closes its connection at once.
        await withTaskCancellationHandler {
            loop: for await event in source.events {
                switch event {
                case .message(let message):
                    // Bounded against a flood: the count goes on, the events kept stop at a limit.
                    eventCount += 1
                    if let watched { activity?.dispatched(watched.id) }
                    if events.count < Self.maxEventsKept { events.append(message) }
                    parserLastId = message.lastEventId
                    if let group {
                        group.members.dispatched(group.index)
                    } else if eventCount >= maxEvents {
                        stoppedByUs.set()
                        source.close()
                    }
                case .closed:
                    break loop
                case .open:
                    group?.members.opened(group!.index)
                    onOpen?()
                case .error:
                    continue
                }
            }
        } onCancel: {
            stoppedByUs.set()
            source.close()
        }
        timer.cancel()
        bytesWatch.cancel()
        // A member whose stream ended by itself holds no one back.
        if let group {
            let waitedOut = stoppedByUs.isSet && source.transcript.attempts.first?.response == nil
            group.members.ended(group.index, waitedOut: waitedOut)
        }
        let transcript = source.transcript
        let exchange = makeExchange(
            transcript.attempts.first,
            label: label,
            url: url,
            started: started,
            stoppedByUs: stoppedByUs.isSet,
            aborting: aborting
        )
        if let watched {
            watched.task.cancel()
            await watched.task.value
            // A client beside the primary that ended before the primary did is reported once its worth is known.
            // (Bounded: the primary's window and the group's are; this wait never outlasts them by much.)
            let giveUp = clock.now + .milliseconds(Int((configuration.listen * 2 + 5) * 1000))
            while let group, !group.members.isSettled, !Task.isCancelled, clock.now < giveUp {
                try? await Task.sleep(for: .milliseconds(50))
            }
            let setAside = group?.members.isSetAside == true
            activity?.finish(
                watched.id,
                exchange: exchange,
                label: setAside ? "\(label) beside the primary (set aside: made again after the reconnection)" : nil
            )
        }
        return Listened(
            exchange: exchange,
            events: events,
            lastEventId: source.lastEventId.isEmpty ? parserLastId : source.lastEventId,
            reconnectionTime: reconnectionTime(of: exchange),
            eventCount: eventCount
        )
    }

    /// Reports a listening connection's bytes (and, when dumped, each body chunk with its arrival time) to
    /// `activity` a few times a second, and once more when cancelled at its end.
    nonisolated func watch(_ source: EventSource, id: Int, label: String, activity: ProbeActivity) async {
        let dumping = activity.dumps(label)
        var dumped = 0
        while true {
            let last = Task.isCancelled
            if let attempt = source.transcript.attempts.first {
                activity.received(id, bytes: attempt.bodyBytes, statusLine: attempt.response?.statusLine ?? "")
                if dumping {
                    for chunk in attempt.chunks where chunk.offset + chunk.bytes.count > dumped {
                        let time = seconds(chunk.receivedAt - attempt.startedAt)
                        activity.onChunk(label, BodyChunk(offset: chunk.offset, time: time, bytes: chunk.bytes))
                        dumped = chunk.offset + chunk.bytes.count
                    }
                }
            }
            if last { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The reconnection time the stream set, read on the parser's fast path (no observations needed).
    func reconnectionTime(of exchange: Exchange) -> Int? {
        var parser = EventStreamParser(
            configuration: .init(
                maxLineLength: configuration.maxLine,
                maxEventSize: max(configuration.maxLine, 1 << 20)
            )
        )
        for chunk in exchange.chunks {
            chunk.bytes.withUnsafeBytes { parser.parse($0) { _ in } }
        }
        return parser.reconnectionTime
    }

    func makeExchange(
        _ attempt: Transcript.Attempt?,
        label: String,
        url: String,
        started: ContinuousClock.Instant,
        stoppedByUs: Bool,
        aborting: Bool
    ) -> Exchange {
        guard let attempt else {
            return Exchange(
                label: label,
                url: url,
                startedAt: seconds(started - runStart),
                status: nil,
                end: .failed("no attempt was made")
            )
        }
        let head = attempt.response
        let reason = attempt.curlMessage ?? "curl code \(attempt.curlCode ?? -1)"
        let end: ExchangeEnd
        switch attempt.ending {
        case .endOfBody?, .rejected?: end = head == nil ? .failed(reason) : .completed
        case .abortedByClient?:
            if head == nil {
                let waited = TranscriptText.milliseconds(seconds(clock.now - started))
                end = .failed(
                    attempt.requests.isEmpty
                        ? "no response head within \(waited) ms"
                        : "no response head within \(waited) ms, though the connection was accepted and the request sent: the head is held back (a buffering proxy, or an app that sends its headers with its first event); a longer --listen gives it more time"
                )
            } else {
                end = aborting ? .aborted : .stoppedListening
            }
        case .reset?:
            end = head == nil ? .failed("connection reset: \(reason)") : .broken("connection reset: \(reason)")
        case .truncated?:
            end = head == nil ? .failed("closed before any response: \(reason)") : .broken("truncated: \(reason)")
        case .timedOut?: end = head == nil ? .failed("timed out: \(reason)") : .idleTimeout(configuration.idleTimeout)
        case .networkError?, .setupFailed?: end = head == nil ? .failed(reason) : .broken(reason)
        case nil:
            end = head == nil ? .failed("no response") : (stoppedByUs ? .stoppedListening : .broken("still running"))
        }
        let chunks = attempt.chunks.map {
            BodyChunk(offset: $0.offset, time: seconds($0.receivedAt - attempt.startedAt), bytes: $0.bytes)
        }
        return Exchange(
            label: label,
            url: url,
            startedAt: seconds(attempt.startedAt - runStart),
            requestHeaders: attempt.requests.last?.headers ?? [],
            status: head?.status,
            statusLine: head?.statusLine ?? "",
            responseHeaders: head?.headers ?? [],
            chunks: chunks,
            droppedBytes: attempt.droppedBodyBytes,
            end: end,
            endTime: attempt.endedAt.map { seconds($0 - attempt.startedAt) } ?? seconds(clock.now - attempt.startedAt),
            redirects: max(0, attempt.responses.count - 1),
            headTime: head.map { seconds($0.receivedAt - attempt.startedAt) }
        )
    }
}

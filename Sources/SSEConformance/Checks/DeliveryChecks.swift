import SSEScenarios

/// Whether events reach clients as they are produced, to every client, and keep idle connections alive.
extension Catalogue {
    static let delivery: [Check] = [
        Check(
            id: "delivery/unbuffered",
            level: .must,
            modes: [.passive, .scenarios],
            summary:
                "events arrive as produced: no silence then a burst; in scenarios, arrivals follow the declared pacing",
            fetchStyle: .delivery,
            reference: .whatwg(
                "9.2.5 Parsing an event stream",
                anchor: "parsing-an-event-stream",
                "block buffering or line buffering with different expected line endings can cause delays in event dispatch."
            )
        ) { context in
            var judged: [String] = []
            if context.modes.contains(.scenarios),
                let run = try await scenarioRun(context, Scenario.Name.slow)
            {
                if let verdict = await judgePacing(run, context: context) { return verdict }
                judged.append("the slow scenario followed its pacing")
            }
            if let primary = try await context.primary(), primary.exchange.opensEventSource {
                if let verdict = judgeBuffering(primary, context: context) { return verdict }
                let times = primary.dispatchTimes
                if times.count >= 3 {
                    judged.append("\(times.count) passive events arrived spread out")
                } else if judged.isEmpty {
                    return .notApplicable(
                        reason:
                            "the stream dispatched \(times.count) event(s) while we listened; at least 3 are needed to judge pacing: "
                            + (context.configuration.events < 3
                                ? "raise --events to 3 or more"
                                : "listen longer (--listen), or test the scenarios (--scenarios BASEURL), whose slow scenario is paced")
                    )
                }
            }
            guard !judged.isEmpty else {
                return .notApplicable(reason: "nothing with a pace to judge: give --target or --scenarios")
            }
            return .held(evidence: Evidence(summary: judged.joined(separator: "; ")))
        },
        Check(
            id: "delivery/concurrent-clients",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "several simultaneous clients each get a complete, well-formed stream",
            fetchStyle: .delivery,
            reference: .whatwg(
                "9.2.7 Authoring notes",
                anchor: "authoring-notes",
                "Clients that support HTTP's per-server connection limitation might run into trouble when opening multiple pages from a site if each page has an EventSource to the same domain."
            )
        ) { context in
            // Each client must get what the primary got: events if it got events, bytes (comments) if it got only
            // those. A primary that got nothing leaves nothing to compare.
            var wantsEvents = true
            if let primary = try await context.primary() {
                if primary.events.isEmpty {
                    guard !primary.exchange.chunks.isEmpty else {
                        return .notApplicable(
                            reason:
                                "the primary stream sent nothing in \(TranscriptText.milliseconds(primary.exchange.endTime)) ms, so there is nothing every client should get (see delivery/unbuffered)"
                        )
                    }
                    wantsEvents = false
                }
            }
            let clients = try await context.probes.concurrentClients()
            guard !clients.isEmpty else { return .notApplicable(reason: "no concurrent clients were opened") }
            var got: [(client: Exchange, events: Int, bytes: Int)] = []
            let anyServed = clients.contains(where: \.opensEventSource)
            for client in clients {
                let analysis = await context.analysis(of: client)
                // No head at all while another client was served: it waits its turn (counted as starved below).
                if client.status == nil, anyServed {
                    got.append((client, 0, 0))
                    continue
                }
                guard client.opensEventSource else {
                    return .broken(
                        expected: "each of \(clients.count) simultaneous clients served a stream",
                        actual:
                            "\(client.label): \(client.status == nil ? TranscriptText.describe(client.end) : client.statusLine)",
                        evidence: Evidence(
                            summary: "\(client.label): \(client.statusLine)",
                            excerpt: Judge.head(client, redacting: context.redacting).excerpt,
                            transcript: TranscriptText.transcript(client, redacting: context.redacting)
                        )
                    )
                }
                got.append((client, analysis.events.count, client.chunks.reduce(0) { $0 + $1.bytes.count }))
            }
            let what = wantsEvents ? "event" : "byte"
            let counts = got.map { "\($0.client.label): \(wantsEvents ? $0.events : $0.bytes) \(what)(s)" }
            let starved = got.filter { wantsEvents ? $0.events == 0 : $0.bytes == 0 }
            if let first = starved.first {
                let served = got.filter { wantsEvents ? $0.events > 0 : $0.bytes > 0 }
                let window = TranscriptText.milliseconds(first.client.endTime)
                let names = starved.map(\.client.label).joined(separator: ", ")
                return .broken(
                    expected:
                        "each of \(clients.count) clients held open together gets \(wantsEvents ? "events" : "the stream's bytes (comments)"), as the first connection did",
                    actual: served.isEmpty
                        ? "none of the \(clients.count) clients held open together got a \(what) in \(window) ms, though one connection alone did: the target serves fewer streams at once than browsers open"
                        : "\(names) got no \(what)\(starved.contains { $0.client.status == nil } ? " (not even a response head)" : "") in \(window) ms while \(served.map(\.client.label).joined(separator: ", ")) was served: the target serves \(served.count) stream(s) at a time (one worker per stream, such as gunicorn's default sync worker, or a single-subscriber channel); clients that stay open, as browsers do, wait",
                    evidence: Evidence(
                        summary: counts.joined(separator: "; "),
                        excerpt: Judge.head(first.client, redacting: context.redacting).excerpt,
                        transcript: TranscriptText.transcript(first.client, redacting: context.redacting)
                    )
                )
            }
            // How each client's stream ended is judged by framing/terminated-before-close and
            // close/server-complete-clean, which read every client stream too.
            return .held(
                evidence: Evidence(
                    summary:
                        "\(clients.count) simultaneous clients held open together got \(got.map { String(wantsEvents ? $0.events : $0.bytes) }.joined(separator: ", ")) \(what)s"
                )
            )
        },
        Check(
            id: "delivery/heartbeat",
            level: .info,
            modes: [.passive, .scenarios],
            summary:
                "longest silence seen; comments or events at least every 30 s keep proxies from closing idle streams",
            fetchStyle: .delivery,
            reference: .whatwg(
                "9.2.7 Authoring notes",
                anchor: "authoring-notes",
                "Legacy proxy servers are known to, in certain cases, drop HTTP connections after a short timeout. To protect against such proxy servers, authors can include a comment line (one starting with a ':' character) every 15 seconds or so."
            )
        ) { context in
            let streams = try await context.streams()
            guard !streams.isEmpty else { return .notApplicable(reason: "no stream was opened") }
            var longest = 0.0
            var whereLongest = ""
            for stream in streams {
                var previous = 0.0
                for chunk in stream.exchange.chunks {
                    if chunk.time - previous > longest {
                        longest = chunk.time - previous
                        whereLongest = "\(stream.exchange.label) before byte \(chunk.offset)"
                    }
                    previous = chunk.time
                }
                if stream.exchange.end == .stoppedListening, stream.exchange.endTime - previous > longest {
                    longest = stream.exchange.endTime - previous
                    whereLongest = "\(stream.exchange.label) until we stopped listening"
                }
            }
            let comments = streams.reduce(0) { $0 + $1.count(.comment) }
            let note =
                "longest silence \(TranscriptText.milliseconds(longest)) ms (\(whereLongest)); \(comments) comment line(s) seen"
                + (longest > 30 ? "; over 30 s: idle proxies may close such a stream" : "")
            return .observed(note: note, evidence: Evidence(summary: note))
        },
    ]

    /// delivery/unbuffered, scenario half: the slow scenario's events arrive spread as produced, not in one burst.
    static func judgePacing(_ run: ScenarioRun, context: CheckContext) async -> Verdict? {
        guard let exchange = run.exchanges.first else { return nil }
        let analysis = await context.analysis(of: exchange)
        let times = analysis.dispatchTimes
        guard times.count >= 2, let first = times.first, let last = times.last else {
            return .harnessError(
                reason: "the slow scenario dispatched \(times.count) event(s); its pacing cannot be judged"
            )
        }
        let declared = Double(run.scenario.intervalMs) / 1000 * Double(times.count - 1)
        let spread = last - first
        // Held back and sent together: the whole sequence within half of one interval. A producer that fell behind
        // on a loaded machine may deliver two neighbours together, but its events still span about an interval.
        if spread < Double(run.scenario.intervalMs) / 1000 / 2 {
            return .broken(
                expected:
                    "the slow scenario's \(times.count) events about \(run.scenario.intervalMs) ms apart (\(TranscriptText.milliseconds(declared)) ms from first to last)",
                actual:
                    "all within \(TranscriptText.milliseconds(spread)) ms, the first after \(TranscriptText.milliseconds(first)) ms: held back and sent together",
                evidence: Evidence(
                    summary:
                        "\(exchange.label): dispatch times \(times.map { "+\(TranscriptText.milliseconds($0)) ms" }.joined(separator: ", "))",
                    transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
                )
            )
        }
        return nil
    }
}

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
            if let primary = try await context.primary() {
                let times = dispatchTimes(primary)
                if times.count >= 3 {
                    if let verdict = judgeBurst(primary, times: times, context: context) { return verdict }
                    judged.append("\(times.count) passive events arrived spread out")
                } else if judged.isEmpty {
                    return .notApplicable(
                        reason:
                            "the stream dispatched \(times.count) event(s) while we listened; at least 3 are needed to judge pacing"
                    )
                }
            }
            guard !judged.isEmpty else { return .notApplicable(reason: "nothing with a pace to judge") }
            return .held(evidence: Evidence(summary: judged.joined(separator: "; ")))
        },
        Check(
            id: "delivery/concurrent-clients",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "several simultaneous clients each get a complete, well-formed stream",
            reference: .whatwg(
                "9.2.7 Authoring notes",
                anchor: "authoring-notes",
                "Clients that support HTTP's per-server connection limitation might run into trouble when opening multiple pages from a site if each page has an EventSource to the same domain."
            )
        ) { context in
            let clients = try await context.probes.concurrentClients()
            guard !clients.isEmpty else { return .notApplicable(reason: "no concurrent clients were opened") }
            var counts: [Int] = []
            for client in clients {
                let analysis = await context.analysis(of: client)
                counts.append(analysis.events.count)
                let evidence = Evidence(
                    summary: "\(client.label): \(client.statusLine), \(analysis.events.count) event(s)",
                    excerpt: Judge.head(client, redacting: context.redacting).excerpt,
                    transcript: TranscriptText.transcript(client, redacting: context.redacting)
                )
                guard client.opensEventSource else {
                    return .broken(
                        expected: "each of \(clients.count) simultaneous clients served a stream",
                        actual:
                            "\(client.label): \(client.status == nil ? TranscriptText.describe(client.end) : client.statusLine)",
                        evidence: evidence
                    )
                }
                if analysis.events.isEmpty {
                    return .broken(
                        expected: "each of \(clients.count) simultaneous clients gets events",
                        actual:
                            "\(client.label) got no event while it listened (\(TranscriptText.milliseconds(client.endTime)) ms): the target serves fewer clients at a time",
                        evidence: evidence
                    )
                }
                // How each client's stream ended is judged by framing/terminated-before-close and
                // close/server-complete-clean, which read every client stream too.
            }
            return .held(
                evidence: Evidence(
                    summary:
                        "\(clients.count) simultaneous clients got \(counts.map(String.init).joined(separator: ", ")) events"
                )
            )
        },
        Check(
            id: "delivery/heartbeat",
            level: .info,
            modes: [.passive, .scenarios],
            summary:
                "longest silence seen; comments or events at least every 30 s keep proxies from closing idle streams",
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
            let comments = streams.reduce(0) { $0 + $1.count { if case .comment = $0 { true } else { false } } }
            let note =
                "longest silence \(TranscriptText.milliseconds(longest)) ms (\(whereLongest)); \(comments) comment line(s) seen"
                + (longest > 30 ? "; over 30 s: idle proxies may close such a stream" : "")
            return .observed(note: note, evidence: Evidence(summary: note))
        },
    ]

    /// Arrival times of the blank lines that dispatched events.
    static func dispatchTimes(_ stream: StreamAnalysis) -> [Double] {
        stream.blocks.compactMap { block in
            guard block.event != nil, let blank = block.blankLine else { return nil }
            return stream.exchange.arrival(ofByte: blank)
        }
    }

    /// Passive: every event held back and released together after a silence is buffering.
    static func judgeBurst(_ stream: StreamAnalysis, times: [Double], context: CheckContext) -> Verdict? {
        guard let first = times.first, let last = times.last else { return nil }
        let spread = last - first
        guard first >= 1.0, spread < 0.05 else { return nil }
        return .broken(
            expected: "events delivered as they are produced",
            actual:
                "nothing for \(TranscriptText.milliseconds(first)) ms, then all \(times.count) events within \(TranscriptText.milliseconds(spread)) ms: something buffers the stream",
            evidence: Evidence(
                summary:
                    "\(stream.exchange.label): \(times.count) events in one burst after \(TranscriptText.milliseconds(first)) ms of silence",
                excerpt: TranscriptText.excerpt(stream.exchange, at: 0),
                transcript: TranscriptText.transcript(stream.exchange, redacting: context.redacting)
            )
        )
    }

    /// delivery/unbuffered, scenario half: the slow scenario's events arrive spread as produced, not in one burst.
    static func judgePacing(_ run: ScenarioRun, context: CheckContext) async -> Verdict? {
        guard let exchange = run.exchanges.first else { return nil }
        let analysis = await context.analysis(of: exchange)
        let times = dispatchTimes(analysis)
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

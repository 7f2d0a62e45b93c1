import SSEScenarios

/// How streams end: cleanly from the server, at once when the client leaves, and 204 as the stop signal.
extension Catalogue {
    static let close: [Check] = [
        Check(
            id: "close/client-abort-releases",
            level: .must,
            modes: [.scenarios],
            summary: "after the client aborts, the producer stops (stats) within 1 s",
            fetchStyle: .scenarios,
            reference: .whatwg(
                "9.2.9 Garbage collection",
                anchor: "garbage-collection",
                "If an EventSource object is garbage collected while its connection is still open, the user agent must abort any instance of the fetch algorithm opened by this EventSource."
            )
        ) { context in
            judgeAbortRelease(try await context.probes.abortRelease())
        },
        Check(
            id: "close/server-complete-clean",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "a finished response ends cleanly (complete chunked terminator or close after a full event)",
            fetchStyle: .endOfStream,
            reference: .whatwg(
                "9.2.3 Processing model",
                anchor: "sse-processing-model",
                "The task that the networking task source places on the task queue once fetching for such a resource (with the correct MIME type) has completed must cause the user agent to reestablish the connection in parallel."
            )
        ) { context in
            let ended = try await context.endedStreams()
            guard !ended.isEmpty else {
                return .notApplicable(reason: CheckContext.endlessReason)
            }
            return Judge.every(ended, what: "clean ends", redacting: context.redacting) { stream in
                guard case .broken(let reason) = stream.exchange.end else { return nil }
                let offset = max(0, stream.exchange.body.count - 1)
                return Judge.Violation(
                    expected:
                        "the response ended cleanly (a complete chunked terminator, or a close after a complete event)",
                    actual: "it broke: \(reason)",
                    summary: "\(stream.exchange.label): \(reason) after \(stream.exchange.body.count) body bytes",
                    excerpt: TranscriptText.excerpt(stream.exchange, at: offset),
                    exchange: stream.exchange
                )
            }
        },
        Check(
            id: "close/no-content-stops",
            level: .must,
            modes: [.scenarios],
            summary: "the stop scenario answers its reconnection with 204 and no body",
            fetchStyle: .scenarios,
            reference: .whatwg(
                "9.2.7 Authoring notes",
                anchor: "authoring-notes",
                "Clients will reconnect if the connection is closed; a client can be told to stop reconnecting using the HTTP 204 No Content response code."
            )
        ) { context in
            try await judgeStopScenario(context)
        },
    ]

    /// close/client-abort-releases: the producer stopped within 1 s of the abort. A "stopped" answer that came later
    /// fails only when an answer "running" proves the producer ran past 1 s; otherwise the stats endpoint was too slow
    /// to tell, and that is the harness's trouble, not the target's failure.
    static func judgeAbortRelease(_ probe: AbortReleaseProbe) -> Verdict {
        let bound = 1.0
        let expected = "the scenario's producer reported stopped within 1000 ms of the abort"
        let log = probe.statsLog.joined(separator: "\n")
        let ms = TranscriptText.milliseconds
        if let released = probe.releasedAfter, released <= bound {
            return .held(
                evidence: Evidence(summary: "producer stopped within \(ms(released)) ms of the abort", excerpt: log)
            )
        }
        if let running = probe.stillRunningAt, running >= bound {
            guard let released = probe.releasedAfter else {
                return .broken(
                    expected: expected,
                    actual: "still running after the abort: the server keeps producing for a client that left",
                    evidence: Evidence(
                        summary:
                            "stats never showed the producer stopped (still running \(ms(running)) ms after the abort)",
                        excerpt: log
                    )
                )
            }
            return .broken(
                expected: expected,
                actual: "stopped \(ms(released)) ms after the abort",
                evidence: Evidence(
                    summary: "producer still running \(ms(running)) ms after the abort, stopped by \(ms(released)) ms",
                    excerpt: log
                )
            )
        }
        let from = probe.stillRunningAt.map { "after +\(ms($0)) ms" } ?? "at any time"
        let until = probe.releasedAfter.map { "before +\(ms($0)) ms" } ?? "(no stats answer said stopped)"
        return .harnessError(
            reason:
                "the stats endpoint answered too slowly to judge: the producer stopped \(from) \(until) after the abort, across the 1000 ms bound; run again on a less loaded machine",
            evidence: Evidence(summary: "stats answers too slow to place the stop", excerpt: log)
        )
    }

    /// close/no-content-stops: the stop scenario's reconnection gets 204 and no body.
    static func judgeStopScenario(_ context: CheckContext) async throws -> Verdict {
        guard let run = try await scenarioRun(context, Scenario.Name.stop), run.exchanges.count > 1 else {
            return .notApplicable(reason: "the stop scenario was not run" + CheckContext.scenariosHint)
        }
        let exchange = run.exchanges[1]
        let evidence = Judge.head(exchange, redacting: context.redacting)
        guard exchange.status == 204 else {
            return .broken(
                expected:
                    "the reconnection (Last-Event-ID: \(run.scenario.connections[1].lastEventId ?? "")) answered 204 No Content",
                actual: exchange.status.map { _ in "\(exchange.statusLine): the client is not told to stop" }
                    ?? "no response: \(TranscriptText.describe(exchange.end))",
                evidence: evidence
            )
        }
        if !exchange.body.isEmpty {
            return .broken(
                expected: "204 with no body",
                actual: "204 with \(exchange.body.count) body byte(s)",
                evidence: evidence
            )
        }
        return .held(evidence: evidence)
    }
}

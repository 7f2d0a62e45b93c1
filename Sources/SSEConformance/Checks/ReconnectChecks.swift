import SSEScenarios

/// Section 9.2.3 "Processing model" and 9.2.4 "The `Last-Event-ID` header": what a reconnecting EventSource
/// must be given.
extension Catalogue {
    static let reconnect: [Check] = [
        Check(
            id: "reconnect/served-again",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "after the stream ends or is cut, a reconnection is served (a 204 is the stop signal: skip)",
            fetchStyle: .reconnection,
            reference: .whatwg(
                "9.2.3 Processing model",
                anchor: "sse-processing-model",
                "When a user agent is to reestablish the connection, the user agent must run the following steps. These steps are run in parallel, not as part of a task."
            )
        ) { context in
            if let skip = try await fetchStyleSkip(context) { return skip }
            let reconnection = try await context.probes.reconnection()
            let verdict = notingResend(
                judgeReconnection(reconnection, context: context, what: "the reconnection"),
                reconnection,
                context: context
            )
            // A reconnection refused only because it carried Last-Event-ID is reconnect/last-event-id-accepted's
            // defect: this check then asks whether a new connection without the header is served.
            if case .broken = verdict, reconnection.status != nil, reconnection.requestHeader("Last-Event-ID") != nil,
                let fresh = try await context.probes.concurrentClients().first, fresh.opensEventSource
            {
                return .held(
                    evidence: Evidence(
                        summary:
                            "a new connection without Last-Event-ID was served (\(fresh.statusLine)); the one with it got \(reconnection.statusLine): see reconnect/last-event-id-accepted"
                    )
                )
            }
            return verdict
        },
        Check(
            id: "reconnect/last-event-id-accepted",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "a reconnection carrying Last-Event-ID is answered 200 with a stream (204: skip)",
            fetchStyle: .reconnection,
            reference: .whatwg(
                "9.2.3 Processing model",
                anchor: "sse-processing-model",
                "If the EventSource object's last event ID string is not the empty string, then: ... Set (`Last-Event-ID`, lastEventIDValue) in request's header list."
            )
        ) { context in
            if let skip = try await fetchStyleSkip(context) { return skip }
            let reconnection = try await context.probes.reconnection()
            guard let sent = reconnection.requestHeader("Last-Event-ID") else {
                return notingResend(
                    .notApplicable(
                        reason:
                            "the stream set no event id before the reconnection, so there was no Last-Event-ID to send; the scenarios test it whatever the stream does (--scenarios BASEURL)"
                    ),
                    reconnection,
                    context: context
                )
            }
            return notingResend(
                judgeReconnection(reconnection, context: context, what: "the reconnection with Last-Event-ID: \(sent)"),
                reconnection,
                context: context
            )
        },
        Check(
            id: "reconnect/resumes-after-id",
            level: .should,
            modes: [.passive, .scenarios],
            summary: "after Last-Event-ID: N the stream continues after N, no replay",
            fetchStyle: .reconnection,
            reference: .whatwg(
                "9.2.4 The Last-Event-ID header",
                anchor: "the-last-event-id-header",
                "The `Last-Event-ID` HTTP request header reports an EventSource object's last event ID string to the server when the user agent is to reestablish the connection."
            ),
            passiveLevel: .info
        ) { context in
            if context.modes.contains(.scenarios),
                let run = try await scenarioRun(context, Scenario.Name.resume)
            {
                return judgeResume(run, context: context)
            }
            if let skip = try await fetchStyleSkip(context) { return skip }
            let reconnection = try await context.probes.reconnection()
            guard let sent = reconnection.requestHeader("Last-Event-ID") else {
                return .notApplicable(
                    reason:
                        "the stream set no event id, so resumption could not be observed; the resume scenario tests it (--scenarios BASEURL)"
                )
            }
            guard reconnection.opensEventSource else {
                return .notApplicable(
                    reason:
                        "the reconnection with Last-Event-ID: \(sent) opened no stream (\(reconnection.status == nil ? Self.noResponseReason(reconnection.end) : reconnection.statusLine)): see reconnect/last-event-id-accepted"
                )
            }
            let analysis = await context.analysis(of: reconnection)
            guard
                let firstId = analysis.blocks.first(where: { $0.event != nil })?.fields.last(where: { $0.name == "id" }
                )?.value
            else {
                return .observed(
                    note: "after Last-Event-ID: \(sent) the reconnection dispatched no event with an id",
                    evidence: Evidence()
                )
            }
            let note: String
            if let sentNumber = Int(sent), let firstNumber = Int(firstId) {
                note =
                    firstNumber == sentNumber + 1
                    ? "after Last-Event-ID: \(sent) the stream continued with id \(firstId): it resumes"
                    : "after Last-Event-ID: \(sent) the stream began with id \(firstId): it \(firstNumber <= sentNumber ? "replays or restarts" : "skips ahead")"
            } else {
                note = "after Last-Event-ID: \(sent) the stream began with id \(firstId)"
            }
            return notingResend(
                .observed(note: note + " (judged only with scenarios)", evidence: Evidence(summary: note)),
                reconnection,
                context: context
            )
        },
        Check(
            id: "reconnect/retry-honored",
            level: .must,
            modes: [.scenarios],
            summary:
                "the retry scenario's retry line arrives well-formed before the end, and the reconnection made after that delay is served",
            fetchStyle: .scenarios,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "If the field value consists of only ASCII digits, then interpret the field value as an integer in base ten, and set the event stream's reconnection time to that integer."
            )
        ) { context in
            try await judgeRetry(context)
        },
    ]

    /// Why an exchange got no response, without repeating "no response".
    static func noResponseReason(_ end: ExchangeEnd) -> String {
        if case .failed(let reason) = end { return reason }
        return TranscriptText.describe(end)
    }

    static func judgeReconnection(_ exchange: Exchange, context: CheckContext, what: String) -> Verdict {
        let evidence = Judge.head(exchange, redacting: context.redacting)
        if exchange.status == 204 {
            return .notApplicable(
                reason: "\(what) was answered 204 No Content: the target told clients to stop reconnecting"
            )
        }
        // No answer within the window is not a refusal: the harness could not judge (a network error is not even a
        // failure for an EventSource, which just tries again).
        guard exchange.status != nil else {
            return .harnessError(
                reason:
                    "\(what) got no response within the window (--listen \(TranscriptText.seconds(context.configuration.listen)) s): \(Self.noResponseReason(exchange.end))",
                evidence: evidence
            )
        }
        if exchange.opensEventSource { return .held(evidence: evidence) }
        return .broken(
            expected: "\(what) answered 200 with text/event-stream",
            actual:
                "\(exchange.statusLine), Content-Type: \(exchange.header("Content-Type") ?? "none"): the EventSource fails for good",
            evidence: evidence
        )
    }

    /// reconnect/resumes-after-id, scenario half: the resume scenario's reconnections continue after their
    /// Last-Event-ID (then 204 when nothing is left).
    static func judgeResume(_ run: ScenarioRun, context: CheckContext) -> Verdict {
        for (index, expected) in run.scenario.connections.enumerated() where index > 0 && index < run.exchanges.count {
            if let verdict = compareConnection(run, index: index, expected: expected, context: context) {
                return verdict
            }
        }
        let ids = run.scenario.connections.dropFirst().compactMap(\.lastEventId).joined(separator: ", ")
        return .held(
            evidence: Evidence(
                summary: "after Last-Event-ID \(ids) the resume scenario continued after each id, then answered 204"
            )
        )
    }

    /// How much sooner than the declared reconnection time the retry scenario's reconnection may start and still
    /// count as made after that delay (timer and clock slack on a loaded machine), in seconds.
    static let retryWaitGrace = 0.25

    /// reconnect/retry-honored: the retry line arrives well-formed before the end, and the reconnection made after
    /// that delay is served.
    static func judgeRetry(_ context: CheckContext) async throws -> Verdict {
        guard let run = try await scenarioRun(context, Scenario.Name.retry), run.exchanges.count > 1,
            let declared = run.scenario.connections.first?.reconnectionTime
        else {
            return .notApplicable(reason: "the retry scenario was not run" + CheckContext.scenariosHint)
        }
        let first = run.exchanges[0]
        let analysis = await context.analysis(of: first)
        let evidence = Evidence(
            summary: "\(first.label): reconnection time \(analysis.reconnectionTime.map(String.init) ?? "never set")",
            transcript: TranscriptText.transcript(first, redacting: context.redacting)
        )
        guard let retry = analysis.find(.retry).first,
            analysis.reconnectionTime == declared
        else {
            let bad = analysis.find(.invalidRetry).first
            return .broken(
                expected: "a retry: \(declared) line before the response ends",
                actual: bad.map { o -> String in
                    if case .invalidRetry(let value) = o.kind {
                        return "retry \(value.debugDescription) (not digits) at byte \(o.offset)"
                    }
                    return ""
                } ?? "reconnection time \(analysis.reconnectionTime.map(String.init) ?? "never set")",
                evidence: evidence
            )
        }
        let second = run.exchanges[1]
        let waited = second.startedAt - (first.startedAt + first.endTime)
        let waitedMs = TranscriptText.milliseconds(waited)
        // Our client is what waits: a reconnection sooner than the declared delay is the harness's doing, and
        // what it was answered cannot show a reconnection after the delay is served (a server may refuse early
        // ones). Not the target's fault, so not a failure: the check could not judge.
        if waited < Double(declared) / 1000 - retryWaitGrace {
            return .harnessError(
                reason:
                    "the harness reconnected \(waitedMs) ms after the end, sooner than the declared \(declared) ms (grace \(TranscriptText.milliseconds(retryWaitGrace)) ms): the retry could not be judged",
                evidence: Evidence(
                    summary:
                        "retry: \(declared) at byte \(retry.offset); \(second.label) started \(waitedMs) ms after the end",
                    transcript: TranscriptText.transcript(second, redacting: context.redacting)
                )
            )
        }
        guard second.opensEventSource else {
            return .broken(
                expected: "the reconnection made \(declared) ms after the end served with a stream",
                actual: second.status.map { _ in second.statusLine }
                    ?? "no response: \(TranscriptText.describe(second.end))",
                evidence: Judge.head(second, redacting: context.redacting)
            )
        }
        return .held(
            evidence: Evidence(
                summary:
                    "retry: \(declared) at byte \(retry.offset); reconnected \(waitedMs) ms after the end (declared \(declared) ms) and was served"
            )
        )
    }
}

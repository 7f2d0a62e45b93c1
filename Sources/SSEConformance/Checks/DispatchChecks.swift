import SSEScenarios
import ServerSentEvents

/// Section 9.2.6 "Interpreting an event stream", dispatch step: what listeners receive, judged against each
/// scenario's declared dispatches (fixtures/scenarios/manifest.json).
extension Catalogue {
    static let dispatch: [Check] = [
        Check(
            id: "dispatch/message-fallback",
            level: .must,
            modes: [.scenarios],
            summary:
                "untyped declared events reach message listeners with their exact data (multi-line data: dispatch/multiline-data)",
            fetchStyle: .scenarios,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "Initialize event's type attribute to \"message\", its data attribute to data, its origin attribute to the serialization of the origin of the event stream's final URL (i.e., the URL after redirects), and its lastEventId attribute to the last event ID string of the event source."
            )
        ) { context in
            try await judgeDispatches(context, what: "untyped events reach message listeners") { expected, actual in
                guard expected.type == "message" else { return nil }
                if actual.type != "message" { return "dispatched as type \(actual.type.debugDescription)" }
                // Multi-line data is dispatch/multiline-data's rule; each check owns one aspect.
                if !expected.data.contains("\n") && actual.data != expected.data {
                    return "data \(actual.data.debugDescription)"
                }
                return nil
            }
        },
        Check(
            id: "dispatch/event-type",
            level: .must,
            modes: [.scenarios],
            summary: "typed declared events reach their type's listeners, not message",
            fetchStyle: .scenarios,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "If the event type buffer has a value other than the empty string, change the type of the newly created event to equal the value of the event type buffer."
            )
        ) { context in
            try await judgeDispatches(context, what: "typed events reach their listeners") { expected, actual in
                guard expected.type != "message" else { return nil }
                return actual.type == expected.type ? nil : "dispatched as type \(actual.type.debugDescription)"
            }
        },
        Check(
            id: "dispatch/multiline-data",
            level: .must,
            modes: [.scenarios],
            summary: "multi-line data arrives joined with LF, exactly",
            fetchStyle: .scenarios,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "Append the field value to the data buffer, then append a single U+000A LINE FEED (LF) character to the data buffer."
            )
        ) { context in
            try await judgeDispatches(
                context,
                scenarios: [Scenario.Name.multiline],
                what: "multi-line data joined with LF"
            ) {
                expected,
                actual in
                actual.data == expected.data ? nil : "data \(actual.data.debugDescription)"
            }
        },
        Check(
            id: "dispatch/last-event-id",
            level: .must,
            modes: [.scenarios],
            summary: "each dispatched event carries the declared last event id",
            fetchStyle: .scenarios,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "Set the last event ID string of the event source to the value of the last event ID buffer. The buffer does not get reset, so the last event ID string of the event source remains set to this value until the next time it is set by the server."
            )
        ) { context in
            try await judgeDispatches(context, what: "last event ids as declared") { expected, actual in
                actual.lastEventId == expected.lastEventId
                    ? nil : "lastEventId \(actual.lastEventId.debugDescription)"
            }
        },
        Check(
            id: "dispatch/expected-sequence",
            level: .must,
            modes: [.scenarios],
            summary: "the whole declared sequence is dispatched, nothing lost, nothing extra",
            fetchStyle: .scenarios,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "When the user agent is required to dispatch the event, the user agent must process the data buffer, the event type buffer, and the last event ID buffer using steps appropriate for the user agent."
            )
        ) { context in
            let runs = try await context.probes.scenarioRuns()
            guard !runs.isEmpty else {
                return .notApplicable(reason: "no scenario was run" + CheckContext.scenariosHint)
            }
            var judged = 0
            var breaks = CheckBreaks(unit: "scenario connection(s)")
            for run in runs {
                for (index, expected) in run.scenario.connections.enumerated() where index < run.exchanges.count {
                    if judgedElsewhere(run, connection: index) { continue }
                    judged += 1
                    if let verdict = compareConnection(run, index: index, expected: expected, context: context) {
                        breaks.add(label: "scenario \(run.scenario.name), connection \(index + 1)", verdict)
                    }
                }
            }
            if let verdict = breaks.verdict { return verdict }
            return .held(
                evidence: Evidence(
                    summary: "\(judged) scenario connection(s) dispatched exactly their declared sequences"
                )
            )
        },
    ]

    /// Applies `rule` to each declared dispatch (of the named scenarios, or all) and the dispatched event it lines
    /// up with on the same connection (DispatchAlignment). Lost and extra events are dispatch/expected-sequence's:
    /// they are not judged here. Every connection where the rule broke is reported.
    static func judgeDispatches(
        _ context: CheckContext,
        scenarios names: Set<String>? = nil,
        what: String,
        _ rule: (ServerSentEvent, ServerSentEvent) -> String?
    ) async throws -> Verdict {
        let runs = try await context.probes.scenarioRuns().filter { names?.contains($0.scenario.name) ?? true }
        guard !runs.isEmpty else {
            return .notApplicable(
                reason: "the scenario(s) \(names?.sorted().joined(separator: ", ") ?? "") were not run"
                    + CheckContext.scenariosHint
            )
        }
        var compared = 0
        var lost = 0
        var breaks = CheckBreaks(unit: "scenario connection(s)")
        for run in runs {
            for index in run.scenario.connections.indices where index < run.dispatchedPerConnection.count {
                if judgedElsewhere(run, connection: index) { continue }
                let aligned = align(run, index: index, context: context)
                lost += aligned.alignment.lost.count
                var problems: [(declared: Int, problem: String, got: ServerSentEvent)] = []
                for pair in aligned.alignment.pairs {
                    let declared = aligned.declared[pair.declared]
                    let got = aligned.actual[pair.actual]
                    if let problem = rule(declared, got) { problems.append((pair.declared, problem, got)) }
                    compared += 1
                }
                guard let first = problems.first else { continue }
                let exchange = run.exchanges[index]
                let more = problems.count > 1 ? "; and \(problems.count - 1) more event(s) on this connection" : ""
                breaks.add(
                    label: "scenario \(run.scenario.name), connection \(index + 1)",
                    expected:
                        "scenario \(run.scenario.name), connection \(index + 1), event \(first.declared + 1): \(describe(aligned.declared[first.declared]))",
                    actual: first.problem + " (\(describe(first.got)))" + more,
                    evidence: Evidence(
                        summary:
                            "\(exchange.label): \(aligned.actual.count) event(s) dispatched, \(aligned.declared.count) declared"
                            + (aligned.form.map { " (\($0))" } ?? ""),
                        excerpt: aligned.actual.prefix(12).map(describe).joined(separator: "\n"),
                        transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
                    )
                )
            }
        }
        if let verdict = breaks.verdict { return verdict }
        guard compared > 0 else {
            return .notApplicable(
                reason: lost > 0
                    ? "every declared dispatch that applies was lost (dispatch/expected-sequence reports it)"
                    : "no declared dispatch applies"
            )
        }
        let lostNote = lost > 0 ? "; \(lost) lost event(s) left to dispatch/expected-sequence" : ""
        return .held(
            evidence: Evidence(
                summary: "\(what): \(compared) declared dispatch(es) compared in \(runs.count) scenario(s)\(lostNote)"
            )
        )
    }

    /// Reconnections of the resume and stop scenarios are judged by reconnect/resumes-after-id (a SHOULD) and
    /// close/no-content-stops, not by the dispatch checks.
    static func judgedElsewhere(_ run: ScenarioRun, connection index: Int) -> Bool {
        index > 0 && (run.scenario.onReconnect == .resume || run.scenario.onReconnect == .noContent)
    }
}

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
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "Initialize event's type attribute to \"message\", its data attribute to data, its origin attribute to the serialization of the origin of the event stream's final URL (i.e., the URL after redirects), and its lastEventId attribute to the last event ID string of the event source."
            )
        ) { context in
            try await judgeDispatches(context, what: "untyped events reach message listeners") { expected, actual in
                guard expected.type == "message" else { return nil }
                guard let actual else { return "never dispatched" }
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
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "If the event type buffer has a value other than the empty string, change the type of the newly created event to equal the value of the event type buffer."
            )
        ) { context in
            try await judgeDispatches(context, what: "typed events reach their listeners") { expected, actual in
                guard expected.type != "message" else { return nil }
                guard let actual else { return "never dispatched" }
                return actual.type == expected.type ? nil : "dispatched as type \(actual.type.debugDescription)"
            }
        },
        Check(
            id: "dispatch/multiline-data",
            level: .must,
            modes: [.scenarios],
            summary: "multi-line data arrives joined with LF, exactly",
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
                guard let actual else { return "never dispatched" }
                return actual.data == expected.data ? nil : "data \(actual.data.debugDescription)"
            }
        },
        Check(
            id: "dispatch/last-event-id",
            level: .must,
            modes: [.scenarios],
            summary: "each dispatched event carries the declared last event id",
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "Set the last event ID string of the event source to the value of the last event ID buffer. The buffer does not get reset, so the last event ID string of the event source remains set to this value until the next time it is set by the server."
            )
        ) { context in
            try await judgeDispatches(context, what: "last event ids as declared") { expected, actual in
                guard let actual else { return "never dispatched" }
                return actual.lastEventId == expected.lastEventId
                    ? nil : "lastEventId \(actual.lastEventId.debugDescription)"
            }
        },
        Check(
            id: "dispatch/expected-sequence",
            level: .must,
            modes: [.scenarios],
            summary: "the whole declared sequence is dispatched, nothing lost, nothing extra",
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "When the user agent is required to dispatch the event, the user agent must process the data buffer, the event type buffer, and the last event ID buffer using steps appropriate for the user agent."
            )
        ) { context in
            let runs = try await context.probes.scenarioRuns()
            guard !runs.isEmpty else { return .notApplicable(reason: "no scenario was run") }
            var judged = 0
            for run in runs {
                for (index, expected) in run.scenario.connections.enumerated() where index < run.exchanges.count {
                    if judgedElsewhere(run, connection: index) { continue }
                    if let verdict = compareConnection(run, index: index, expected: expected, context: context) {
                        return verdict
                    }
                    judged += 1
                }
            }
            return .held(
                evidence: Evidence(
                    summary: "\(judged) scenario connection(s) dispatched exactly their declared sequences"
                )
            )
        },
    ]

    /// Applies `rule` to each declared dispatch (of the named scenarios, or all) and what was dispatched at the same
    /// position on the same connection. The first mismatch breaks the check.
    static func judgeDispatches(
        _ context: CheckContext,
        scenarios names: Set<String>? = nil,
        what: String,
        _ rule: (ServerSentEvent, ServerSentEvent?) -> String?
    ) async throws -> Verdict {
        let runs = try await context.probes.scenarioRuns().filter { names?.contains($0.scenario.name) ?? true }
        guard !runs.isEmpty else {
            return .notApplicable(
                reason: "the scenario(s) \(names?.sorted().joined(separator: ", ") ?? "") were not run"
            )
        }
        var compared = 0
        for run in runs {
            for (index, expected) in run.scenario.connections.enumerated()
            where index < run.dispatchedPerConnection.count {
                if judgedElsewhere(run, connection: index) { continue }
                let actual = run.dispatchedPerConnection[index]
                for (position, declared) in expected.dispatches.enumerated() {
                    let got = position < actual.count ? actual[position] : nil
                    if let problem = rule(declared, got) {
                        let exchange = run.exchanges[index]
                        return .broken(
                            expected:
                                "scenario \(run.scenario.name), connection \(index + 1), event \(position + 1): \(describe(declared))",
                            actual: problem + (got.map { " (\(describe($0)))" } ?? ""),
                            evidence: Evidence(
                                summary:
                                    "\(exchange.label): \(actual.count) event(s) dispatched, \(expected.dispatches.count) declared",
                                excerpt: actual.prefix(12).map(describe).joined(separator: "\n"),
                                transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
                            )
                        )
                    }
                    compared += 1
                }
            }
        }
        guard compared > 0 else { return .notApplicable(reason: "no declared dispatch applies") }
        return .held(
            evidence: Evidence(
                summary: "\(what): \(compared) declared dispatch(es) compared in \(runs.count) scenario(s)"
            )
        )
    }

    /// Reconnections of the resume and stop scenarios are judged by reconnect/resumes-after-id (a SHOULD) and
    /// close/no-content-stops, not by the dispatch checks.
    static func judgedElsewhere(_ run: ScenarioRun, connection index: Int) -> Bool {
        index > 0 && (run.scenario.onReconnect == .resume || run.scenario.onReconnect == .noContent)
    }
}

import SSEScenarios
import ServerSentEvents

/// What the scenario halves of several check groups share: finding a scenario's run, comparing one declared
/// connection with what happened on it, and describing a dispatched event the same way everywhere.
extension Catalogue {
    /// The run of the scenario named `name` (one of ``Scenario/Name``), nil when it was not run.
    static func scenarioRun(_ context: CheckContext, _ name: String) async throws -> ScenarioRun? {
        try await context.probes.scenarioRuns().first { $0.scenario.name == name }
    }

    /// Status, dispatches and ending of one declared connection against what happened (used by
    /// dispatch/expected-sequence and reconnect/resumes-after-id).
    static func compareConnection(
        _ run: ScenarioRun,
        index: Int,
        expected: ExpectedConnection,
        context: CheckContext
    ) -> Verdict? {
        let exchange = run.exchanges[index]
        let actual = run.dispatchedPerConnection[index]
        let label = "scenario \(run.scenario.name), connection \(index + 1)"
        let evidence = Evidence(
            summary:
                "\(exchange.label): \(exchange.statusLine.isEmpty ? "no response" : exchange.statusLine), \(actual.count) event(s), \(TranscriptText.describe(exchange.end))",
            excerpt: actual.prefix(12).map(describe).joined(separator: "\n"),
            transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
        )
        if exchange.status != expected.status {
            return .broken(
                expected: "\(label): status \(expected.status)",
                actual: exchange.status.map { "status \($0)" }
                    ?? "no response: \(TranscriptText.describe(exchange.end))",
                evidence: evidence
            )
        }
        let declared = expected.dispatches
        let compared = expected.end == .never ? Array(actual.prefix(declared.count)) : actual
        if compared != declared {
            let firstDifference =
                zip(declared, compared).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(declared.count, compared.count)
            let wanted = firstDifference < declared.count ? describe(declared[firstDifference]) : "nothing more"
            let got = firstDifference < compared.count ? describe(compared[firstDifference]) : "nothing"
            return .broken(
                expected:
                    "\(label): \(declared.count) dispatch(es) as declared; event \(firstDifference + 1) is \(wanted)",
                actual: "\(compared.count) dispatch(es); event \(firstDifference + 1) is \(got)",
                evidence: evidence
            )
        }
        switch expected.end {
        case .complete, .error:
            if exchange.end != .completed {
                return .broken(
                    expected: "\(label): the response ends cleanly after its events",
                    actual: TranscriptText.describe(exchange.end),
                    evidence: evidence
                )
            }
        case .none:
            if !exchange.body.isEmpty {
                return .broken(
                    expected: "\(label): no body",
                    actual: "\(exchange.body.count) body byte(s)",
                    evidence: evidence
                )
            }
        case .never:
            break
        }
        return nil
    }

    /// A dispatched (or declared) event as the scenario checks quote it.
    static func describe(_ event: ServerSentEvent) -> String {
        "type \(event.type.debugDescription), data \(event.data.debugDescription), lastEventId \(event.lastEventId.debugDescription)"
    }
}

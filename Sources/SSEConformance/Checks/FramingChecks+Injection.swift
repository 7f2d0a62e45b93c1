import SSEScenarios

/// framing/no-field-injection: the inject scenario's CR and LF inside type, id and retry (Nest's field-injection
/// probe), judged on the wire and in what was dispatched. The last of the framing checks.
extension Catalogue {
    static let noFieldInjection = Check(
        id: "framing/no-field-injection",
        level: .must,
        modes: [.scenarios],
        summary: "CR/LF the app put in type/id/retry never become extra lines",
        fetchStyle: .scenarios,
        reference: .whatwg(
            "9.2.5 Parsing an event stream",
            anchor: "parsing-an-event-stream",
            "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE RETURN (CR) character."
        )
    ) { context in
        try await judgeInjection(context)
    }

    /// framing/no-field-injection: CR/LF in type/id/retry never become lines of their own.
    static func judgeInjection(_ context: CheckContext) async throws -> Verdict {
        guard let run = try await scenarioRun(context, Scenario.Name.inject), let exchange = run.exchanges.first,
            let expected = run.scenario.connections.first, exchange.opensEventSource
        else {
            return .notApplicable(reason: "the inject scenario was not run" + CheckContext.scenariosHint)
        }
        let analysis = await context.analysis(of: exchange)
        let injected = analysis.blocks.flatMap(\.fields).filter { field in
            !["event", "id", "retry", "data"].contains(field.name)
                || (field.name == "data" && field.value == "injected")
        }
        if let field = injected.first {
            return .broken(
                expected: "CR and LF removed from type, id and retry (no extra lines)",
                actual:
                    "the app's value became a line of its own: \(field.name.debugDescription) = \(field.value.debugDescription) at byte \(field.offset)",
                evidence: Evidence(
                    summary: "\(exchange.label): injected line at byte \(field.offset)",
                    excerpt: TranscriptText.excerpt(exchange, at: field.offset),
                    transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
                )
            )
        }
        // The values that carried CR/LF must arrive whole (with the line breaks removed), not cut at the break.
        let dispatched = run.dispatchedPerConnection.first ?? []
        for (index, declared) in expected.dispatches.enumerated() where index < dispatched.count {
            let got = dispatched[index]
            let typeCut = got.type != declared.type && declared.type.hasPrefix(got.type) && got.type != "message"
            let idCut =
                got.lastEventId != declared.lastEventId && declared.lastEventId.hasPrefix(got.lastEventId)
                && !got.lastEventId.isEmpty
            if typeCut || idCut {
                return .broken(
                    expected:
                        "event \(index + 1): type \(declared.type.debugDescription), id \(declared.lastEventId.debugDescription) (CR/LF removed, the value kept whole)",
                    actual:
                        "type \(got.type.debugDescription), id \(got.lastEventId.debugDescription): the value was cut at its line break",
                    evidence: Evidence(
                        summary: exchange.label,
                        transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
                    )
                )
            }
        }
        if let time = expected.reconnectionTime, let got = analysis.reconnectionTime, got != time,
            String(time).hasPrefix(String(got))
        {
            return .broken(
                expected: "retry \"10\\n20\" written as retry: \(time)",
                actual: "reconnection time \(got): the retry value was cut at its line break",
                evidence: Evidence(
                    summary: exchange.label,
                    transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
                )
            )
        }
        return .held(evidence: Evidence(summary: "CR/LF in type, id and retry stayed inside their fields"))
    }
}

import SSEScenarios
import ServerSentEvents

/// What the scenario halves of several check groups share: finding a scenario's run, comparing one declared
/// connection with what happened on it (by alignment: DispatchAlignment), and describing a dispatched event the
/// same way everywhere.
extension Catalogue {
    /// The run of the scenario named `name` (one of ``Scenario/Name``), nil when it was not run.
    static func scenarioRun(_ context: CheckContext, _ name: String) async throws -> ScenarioRun? {
        try await context.probes.scenarioRuns().first { $0.scenario.name == name }
    }

    /// One declared connection's dispatches lined up with what was dispatched on it.
    struct AlignedConnection {
        /// The declared dispatches the alignment used: the manifest's, or (nestjs profile) NestJS's form of them.
        var declared: [ServerSentEvent]
        /// What was dispatched (for an endless stream: everything, the tail after the declared ones is free).
        var actual: [ServerSentEvent]
        var alignment: DispatchAlignment
        /// Why the declared list is not the manifest's, if it is not (`NestJS's ids: ...`).
        var form: String?
    }

    /// Aligns connection `index` of `run`. Under the nestjs profile NestJS's own form of the declared dispatches
    /// (a numeric id 0 takes the counter: DESIGN.md, divergences) is tried too, and the closer one is used.
    static func align(_ run: ScenarioRun, index: Int, context: CheckContext) -> AlignedConnection {
        let expected = run.scenario.connections[index]
        let actual = run.dispatchedPerConnection[index]
        let endless = expected.end == .never
        var best = AlignedConnection(
            declared: expected.dispatches,
            actual: actual,
            alignment: DispatchAlignment(declared: expected.dispatches, actual: actual, freeTail: endless)
        )
        if context.configuration.profile == .nestjs, !best.alignment.isExact,
            let nest = nestIdForm(run.scenario, index: index), nest != expected.dispatches
        {
            let alignment = DispatchAlignment(declared: nest, actual: actual, freeTail: endless)
            if alignment.cost < best.alignment.cost {
                best = AlignedConnection(
                    declared: nest,
                    actual: actual,
                    alignment: alignment,
                    form: "NestJS's ids: a numeric id 0 takes the counter"
                )
            }
        }
        return best
    }

    /// The declared dispatches of connection `index` as NestJS numbers them (a numeric id 0 takes the counter),
    /// everything else as the reference server writes it; nil when that connection's events cannot be told.
    static func nestIdForm(_ scenario: Scenario, index: Int) -> [ServerSentEvent]? {
        let expected = scenario.connections[index]
        guard let events = connectionEvents(scenario, index: index) else { return nil }
        var model = NestModel(divergences: NestDivergences.reference.subtracting(.writesZeroId))
        var bytes = NestModel.preamble
        for event in events { bytes += model.write(event) ?? [] }
        if case .error(let message) = scenario.end { bytes += model.writeError(message: message) ?? [] }
        var parser = EventStreamParser(lastEventId: expected.lastEventId ?? "")
        let dispatched = EventStreamParser.events(in: parser.parse(bytes))
        return dispatched.count == expected.dispatches.count ? dispatched : nil
    }

    /// The declared events the server writes on connection `index` (the error event not included), nil for a
    /// connection that is not a stream. An endless source: as many as the connection declares dispatches.
    static func connectionEvents(_ scenario: Scenario, index: Int) -> [MessageEvent]? {
        let expected = scenario.connections[index]
        guard expected.status == 200, !scenario.events.isEmpty else { return nil }
        switch scenario.end {
        case .never:
            return (0..<expected.dispatches.count).map { scenario.events[$0 % scenario.events.count] }
        case .complete, .error:
            var events = scenario.events[...]
            if scenario.onReconnect == .resume, let sent = expected.lastEventId,
                let at = events.firstIndex(where: { $0.id?.description == sent })
            {
                events = events[(at + 1)...]
            }
            return Array(events.prefix(scenario.perConnection ?? scenario.events.count))
        }
    }

    /// Status, dispatches and ending of one declared connection against what happened (used by
    /// dispatch/expected-sequence and reconnect/resumes-after-id). Lost and extra events are reported once each,
    /// with the bytes written for a lost one and its cause where it is known.
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
        let aligned = align(run, index: index, context: context)
        let alignment = aligned.alignment
        let declared = aligned.declared
        let compared = expected.end == .never ? Array(actual.prefix(declared.count)) : actual
        if !alignment.isExact {
            let wantedCount = "\(label): \(declared.count) dispatch(es) as declared"
            let differing = alignment.differing
            if alignment.lost.isEmpty && alignment.extra.isEmpty, let first = differing.first {
                // The same events, some delivered wrong: the first one, by position.
                return .broken(
                    expected: "\(wantedCount); event \(first.declared + 1) is \(describe(declared[first.declared]))",
                    actual:
                        "\(compared.count) dispatch(es); event \(first.actual + 1) is \(describe(actual[first.actual]))",
                    evidence: evidence
                )
            }
            var parts: [String] = []
            if !alignment.lost.isEmpty {
                // Only when events were lost: the blocks say what the server wrote for them.
                let analysis = StreamAnalysis(exchange, maxLineLength: context.configuration.maxLine)
                parts.append(
                    "\(alignment.lost.count) lost: "
                        + lossClauses(run, index: index, declared: declared, lost: alignment.lost, analysis: analysis)
                )
            }
            if !alignment.extra.isEmpty {
                let shown = alignment.extra.prefix(3).map { "event \($0 + 1) (\(describe(actual[$0])))" }
                parts.append(
                    "\(alignment.extra.count) extra: " + shown.joined(separator: ", ")
                        + (alignment.extra.count > 3 ? ", ..." : "") + " not declared"
                )
            }
            if let first = differing.first {
                parts.append(
                    "\(differing.count) delivered differently: event \(first.actual + 1) is \(describe(actual[first.actual])), declared \(describe(declared[first.declared]))"
                )
            }
            return .broken(
                expected: wantedCount + (aligned.form.map { " (\($0))" } ?? ""),
                actual: "\(compared.count) dispatch(es): " + parts.joined(separator: "; "),
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

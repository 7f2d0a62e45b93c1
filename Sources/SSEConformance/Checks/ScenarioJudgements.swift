import SSEScenarios
import ServerSentEvents

/// The scenario halves of checks whose passive halves live in their group files.
extension Catalogue {
    /// reconnect/resumes-after-id: the resume scenario's reconnections continue after their Last-Event-ID.
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

    /// delivery/unbuffered: the slow scenario's events arrive spread as produced, not in one burst.
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
        if spread < declared / 2 {
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

    /// close/no-content-stops: the stop scenario's reconnection gets 204 and no body.
    static func judgeStopScenario(_ context: CheckContext) async throws -> Verdict {
        guard let run = try await scenarioRun(context, "stop"), run.exchanges.count > 1 else {
            return .notApplicable(reason: "the stop scenario was not run")
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

    /// reconnect/retry-honored: the retry line arrives well-formed before the end, and the reconnection made after
    /// that delay is served.
    static func judgeRetry(_ context: CheckContext) async throws -> Verdict {
        guard let run = try await scenarioRun(context, "retry"), run.exchanges.count > 1,
            let declared = run.scenario.connections.first?.reconnectionTime
        else {
            return .notApplicable(reason: "the retry scenario was not run")
        }
        let first = run.exchanges[0]
        let analysis = await context.analysis(of: first)
        let evidence = Evidence(
            summary: "\(first.label): reconnection time \(analysis.reconnectionTime.map(String.init) ?? "never set")",
            transcript: TranscriptText.transcript(first, redacting: context.redacting)
        )
        guard let retry = analysis.find({ if case .retry = $0 { true } else { false } }).first,
            analysis.reconnectionTime == declared
        else {
            let bad = analysis.find { if case .invalidRetry = $0 { true } else { false } }.first
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
                    "retry: \(declared) at byte \(retry.offset); reconnected \(TranscriptText.milliseconds(waited)) ms after the end and was served"
            )
        )
    }

    /// framing/no-field-injection: CR/LF in type/id/retry never become lines of their own.
    static func judgeInjection(_ context: CheckContext) async throws -> Verdict {
        guard let run = try await scenarioRun(context, "inject"), let exchange = run.exchanges.first,
            let expected = run.scenario.connections.first, exchange.opensEventSource
        else {
            return .notApplicable(reason: "the inject scenario was not run")
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

    /// The Nest encoder's bytes for a scenario's first connection: preamble, events (cycled for endless sources,
    /// up to perConnection), and the error event.
    static func referenceBytes(_ scenario: Scenario, atLeast count: Int) -> [UInt8] {
        var encoder = NestEventEncoder()
        var bytes = NestEventEncoder.preamble
        let limit = scenario.perConnection ?? scenario.events.count
        switch scenario.end {
        case .never:
            var index = 0
            while bytes.count < count && !scenario.events.isEmpty {
                bytes += encoder.encode(scenario.events[index % scenario.events.count])
                index += 1
            }
        case .complete:
            for event in scenario.events.prefix(limit) { bytes += encoder.encode(event) }
        case .error(let message):
            for event in scenario.events.prefix(limit) { bytes += encoder.encode(event) }
            bytes += encoder.encodeError(message: message)
        }
        return bytes
    }

    /// nest/wire-identical: each scenario's first body equals the reference encoder's bytes.
    static func judgeWireIdentical(_ context: CheckContext) async throws -> Verdict {
        let runs = try await context.probes.scenarioRuns()
        var judged = 0
        for run in runs {
            guard let exchange = run.exchanges.first, exchange.opensEventSource else { continue }
            let body = exchange.body
            let reference = referenceBytes(run.scenario, atLeast: body.count)
            let expected = run.scenario.end == .never ? Array(reference.prefix(body.count)) : reference
            if body != expected {
                let at =
                    zip(body, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(body.count, expected.count)
                return .broken(
                    expected:
                        "scenario \(run.scenario.name): \(expected.count) bytes as Nest writes them; from byte \(at): \(TranscriptText.escape(expected.dropFirst(at).prefix(48)))",
                    actual:
                        "\(body.count) bytes; from byte \(at): \(TranscriptText.escape(body.dropFirst(at).prefix(48)))",
                    evidence: Evidence(
                        summary: "\(exchange.label): body differs from Nest's bytes at byte \(at)",
                        excerpt: TranscriptText.excerpt(exchange, at: at),
                        transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
                    )
                )
            }
            judged += 1
        }
        guard judged > 0 else { return .notApplicable(reason: "no scenario stream was opened") }
        return .held(evidence: Evidence(summary: "\(judged) scenario bodies byte-identical to Nest's encoding"))
    }

    /// nest/auto-ids in scenario mode: the id lines are the declared ids, with the per-connection counter for
    /// events that gave none.
    static func judgeDeclaredIds(_ context: CheckContext) async throws -> Verdict {
        let streams = try await firstStreams(context)
        for stream in streams {
            for (index, (block, reference)) in zip(stream.blocks, stream.reference).enumerated() {
                let id = block.fields.last { $0.name == "id" }?.value
                guard let expected = reference.fields.last(where: { $0.name == "id" })?.value, id != expected else {
                    continue
                }
                return .broken(
                    expected:
                        "scenario \(stream.run.scenario.name), event \(index + 1): id \(expected) (the counter counts only events without an id)",
                    actual: id.map { "id \($0)" } ?? "no id line",
                    evidence: Evidence(
                        summary: "\(stream.exchange.label): event at byte \(block.start)",
                        excerpt: TranscriptText.excerpt(stream.exchange, at: block.start, before: 0, after: 64),
                        transcript: TranscriptText.transcript(stream.exchange, redacting: context.redacting)
                    )
                )
            }
        }
        guard !streams.isEmpty else { return .notApplicable(reason: "no scenario stream was opened") }
        return .held(evidence: Evidence(summary: "ids as Nest numbers them in \(streams.count) scenario(s)"))
    }

    /// A scenario's first connection that opened a stream, with its terminated blocks and the blocks the reference
    /// encoder writes for the same declared events (what the Nest checks compare, block by block).
    struct FirstStream {
        var run: ScenarioRun
        var exchange: Exchange
        var blocks: [StreamAnalysis.Block]
        var reference: [StreamAnalysis.Block]
    }

    static func firstStreams(_ context: CheckContext) async throws -> [FirstStream] {
        var streams: [FirstStream] = []
        for run in try await context.probes.scenarioRuns() {
            guard let exchange = run.exchanges.first, exchange.opensEventSource else { continue }
            let blocks = await context.analysis(of: exchange).blocks.filter { $0.blankLine != nil }
            let bytes = referenceBytes(run.scenario, atLeast: exchange.body.count)
            let reference = StreamAnalysis(
                Exchange(
                    label: "reference",
                    url: "",
                    status: 200,
                    chunks: [BodyChunk(offset: 0, time: 0, bytes: bytes)],
                    end: .completed
                ),
                maxLineLength: context.configuration.maxLine
            ).blocks.filter { $0.blankLine != nil }
            streams.append(FirstStream(run: run, exchange: exchange, blocks: blocks, reference: reference))
        }
        return streams
    }

    /// nest/object-data-json: object and array data is one data line of JSON.stringify output.
    static func judgeObjectData(_ context: CheckContext) async throws -> Verdict {
        var judged = 0
        for stream in try await firstStreams(context) {
            for (index, (event, block)) in zip(firstConnectionEvents(stream.run.scenario), stream.blocks).enumerated() {
                guard case .json(let value)? = event.data else { continue }
                switch value {
                case .object, .array: break
                default: continue
                }
                let lines = block.fields.filter { $0.name == "data" }.map(\.value)
                let json = value.stringified()
                if lines != [json] {
                    return .broken(
                        expected: "scenario \(stream.run.scenario.name), event \(index + 1): one line data: \(json)",
                        actual:
                            "\(lines.count) data line(s): \(lines.map { $0.debugDescription }.joined(separator: ", "))",
                        evidence: Evidence(
                            summary: "\(stream.exchange.label): event at byte \(block.start)",
                            excerpt: TranscriptText.excerpt(stream.exchange, at: block.start, before: 0, after: 96),
                            transcript: TranscriptText.transcript(stream.exchange, redacting: context.redacting)
                        )
                    )
                }
                judged += 1
            }
        }
        guard judged > 0 else { return .notApplicable(reason: "no scenario with object data was opened") }
        return .held(
            evidence: Evidence(summary: "\(judged) object/array data value(s) written as one JSON.stringify line")
        )
    }

    /// nest/error-event: the failing source's last event is event: error, the next id, the message; then the end.
    static func judgeErrorEvent(_ context: CheckContext) async throws -> Verdict {
        guard let run = try await scenarioRun(context, "error"), let exchange = run.exchanges.first,
            case .error(let message) = run.scenario.end
        else {
            return .notApplicable(reason: "the error scenario was not run")
        }
        let analysis = await context.analysis(of: exchange)
        // The id Nest gives the error event: the connection's counter after the declared events.
        var encoder = NestEventEncoder()
        for event in firstConnectionEvents(run.scenario) { _ = encoder.encode(event) }
        let nextId = String(encoder.lastGeneratedId + 1)
        let expected = "event: error, id: \(nextId), data: \(message), then the end of the response"
        guard let last = analysis.blocks.last(where: { $0.blankLine != nil }) else {
            return .broken(
                expected: expected,
                actual: "no event at all",
                evidence: Judge.head(exchange, redacting: context.redacting)
            )
        }
        let fields = last.fields.map { "\($0.name): \($0.value)" }
        let wanted = ["event: error", "id: \(nextId)", "data: \(message)"]
        let evidence = Evidence(
            summary: "\(exchange.label): last event at byte \(last.start); \(TranscriptText.describe(exchange.end))",
            excerpt: TranscriptText.excerpt(exchange, at: last.start, before: 0, after: 96),
            transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
        )
        if fields != wanted {
            return .broken(
                expected: expected,
                actual: "last event: \(fields.joined(separator: ", "))",
                evidence: evidence
            )
        }
        if exchange.end != .completed || analysis.unterminatedTail != nil {
            return .broken(
                expected: expected,
                actual: "after the error event: \(TranscriptText.describe(exchange.end))",
                evidence: evidence
            )
        }
        return .held(evidence: evidence)
    }

    /// The declared events a scenario's first connection writes, in order: up to `perConnection`, or repeated for
    /// a source that never ends (enough for any listen).
    static func firstConnectionEvents(_ scenario: Scenario) -> [MessageEvent] {
        switch scenario.end {
        case .never: return Array(repeating: scenario.events, count: 64).flatMap { $0 }
        default: return Array(scenario.events.prefix(scenario.perConnection ?? scenario.events.count))
        }
    }
}

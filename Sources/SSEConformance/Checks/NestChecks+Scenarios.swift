import SSEScenarios
import ServerSentEvents

/// The `nestjs` profile's scenario-only checks: each scenario's first connection against the bytes NestJS 11.1
/// writes for the same declared events (NestModel), or the reference server's deliberate divergences from them
/// (NestChecks+Forms.swift). Each check reports every scenario where its rule broke.
extension Catalogue {
    static let nestScenarioChecks: [Check] = [
        Check(
            id: "nest/object-data-json",
            level: .should,
            modes: [.scenarios],
            profile: .nestjs,
            summary: "object data is one data: line of JSON.stringify output",
            fetchStyle: .scenarios,
            reference: nest("data: an object (or array) is JSON.stringify'd on one line.")
        ) { context in
            try await judgeObjectData(context)
        },
        Check(
            id: "nest/wire-identical",
            level: .should,
            modes: [.scenarios],
            profile: .nestjs,
            summary:
                "each scenario's body equals NestJS 11.1's bytes for the declared events (or the reference server's divergences)",
            fetchStyle: .scenarios,
            reference: nest(
                "Each event is one write ... then an empty line; on open a single LF; the response ends when the source completes."
            )
        ) { context in
            try await judgeWireIdentical(context)
        },
        Check(
            id: "nest/error-event",
            level: .should,
            modes: [.scenarios],
            profile: .nestjs,
            summary: "a failing source ends with event: error, the next id, the message, then the end",
            fetchStyle: .scenarios,
            reference: nest(
                "Source errors: one more event `event: error`, next id, `data: <error message>`, then the response ends."
            )
        ) { context in
            try await judgeErrorEvent(context)
        },
    ]

    /// nest/object-data-json: object and array data is one data line of JSON.stringify output.
    static func judgeObjectData(_ context: CheckContext) async throws -> Verdict {
        var judged = 0
        var breaks = CheckBreaks(unit: "scenario(s)")
        for stream in try await firstStreams(context) {
            var broken: [(event: Int, expected: String, actual: String, block: StreamAnalysis.Block)] = []
            for (index, (event, block)) in zip(firstConnectionEvents(stream.run.scenario), stream.blocks).enumerated() {
                guard case .json(let value)? = event.data else { continue }
                switch value {
                case .object, .array: break
                default: continue
                }
                let lines = block.fields.filter { $0.name == "data" }.map(\.value)
                let json = value.stringified()
                judged += 1
                if lines != [json] {
                    broken.append(
                        (
                            index + 1, "one line data: \(json)",
                            "\(lines.count) data line(s): \(lines.map { $0.debugDescription }.joined(separator: ", "))",
                            block
                        )
                    )
                }
            }
            guard let first = broken.first else { continue }
            let more = broken.count > 1 ? " (and \(broken.count - 1) more event(s) of this scenario)" : ""
            breaks.add(
                label: "scenario \(stream.run.scenario.name)",
                expected: "scenario \(stream.run.scenario.name), event \(first.event): \(first.expected)",
                actual: first.actual + more,
                evidence: Evidence(
                    summary: "\(stream.exchange.label): event at byte \(first.block.start)",
                    excerpt: TranscriptText.excerpt(stream.exchange, at: first.block.start, before: 0, after: 96),
                    transcript: TranscriptText.transcript(stream.exchange, redacting: context.redacting)
                )
            )
        }
        if let verdict = breaks.verdict { return verdict }
        guard judged > 0 else { return .notApplicable(reason: "no scenario with object data was opened") }
        return .held(
            evidence: Evidence(summary: "\(judged) object/array data value(s) written as one JSON.stringify line")
        )
    }

    /// nest/wire-identical: each scenario's first body equals NestJS 11.1's bytes, or its form with some of the
    /// reference server's deliberate divergences.
    static func judgeWireIdentical(_ context: CheckContext) async throws -> Verdict {
        let runs = try await context.probes.scenarioRuns()
        var judged = 0
        var divergent: [String] = []
        var breaks = CheckBreaks(unit: "scenario(s)")
        for run in runs {
            guard let exchange = run.exchanges.first, exchange.opensEventSource else { continue }
            let body = exchange.body
            let endless = run.scenario.end == .never
            let forms = nestForms(run.scenario, atLeast: body.count).map { form in
                endless ? NestForm(divergences: form.divergences, bytes: Array(form.bytes.prefix(body.count))) : form
            }
            judged += 1
            if let form = forms.first(where: { $0.bytes == body }) {
                if !form.divergences.isEmpty && forms.count > 1 {
                    divergent.append("\(run.scenario.name) as the reference server writes it (\(form.divergences))")
                }
                continue
            }
            // The closest form: the one that agrees longest with the body (NestJS's own on a tie).
            let closest = forms.max { commonPrefix($0.bytes, body) < commonPrefix($1.bytes, body) } ?? forms[0]
            let expected = closest.bytes
            let at = commonPrefix(body, expected)
            breaks.add(
                label: "scenario \(run.scenario.name)",
                expected:
                    "scenario \(run.scenario.name): \(expected.count) bytes as Nest writes them\(closest.name); from byte \(at): \(TranscriptText.escape(expected.dropFirst(at).prefix(48)))",
                actual: "\(body.count) bytes; from byte \(at): \(TranscriptText.escape(body.dropFirst(at).prefix(48)))",
                evidence: Evidence(
                    summary: "\(exchange.label): body differs from Nest's bytes at byte \(at)",
                    excerpt: TranscriptText.excerpt(exchange, at: at),
                    transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
                )
            )
        }
        if let verdict = breaks.verdict { return verdict }
        guard judged > 0 else { return .notApplicable(reason: "no scenario stream was opened") }
        let how = divergent.isEmpty ? "" : "; where they differ: \(divergent.joined(separator: "; "))"
        return .held(
            evidence: Evidence(
                summary: "\(judged) scenario bodies byte-identical to Nest's encoding\(how)"
            )
        )
    }

    /// nest/error-event: the failing source's last event is event: error, the next id, the message; then the end.
    static func judgeErrorEvent(_ context: CheckContext) async throws -> Verdict {
        guard let run = try await scenarioRun(context, Scenario.Name.error), let exchange = run.exchanges.first,
            case .error(let message) = run.scenario.end
        else {
            return .notApplicable(reason: "the error scenario was not run" + CheckContext.scenariosHint)
        }
        let analysis = await context.analysis(of: exchange)
        // The id Nest gives the error event: the connection's counter after the declared events (NestJS's own
        // counter first; the reference server's, which does not count a numeric id 0, also passes).
        var wantedLists: [[String]] = []
        for divergences in NestDivergences.combinations {
            var model = NestModel(divergences: divergences)
            for event in firstConnectionEvents(run.scenario) { _ = model.write(event) }
            guard !model.ended else { continue }
            let wanted = ["event: error", "id: \(model.lastGeneratedId + 1)", "data: \(message)"]
            if !wantedLists.contains(wanted) { wantedLists.append(wanted) }
        }
        guard let nest = wantedLists.first else {
            return .notApplicable(reason: "NestJS ends the error scenario's stream before its error event")
        }
        let expected = nest.joined(separator: ", ") + ", then the end of the response"
        guard let last = analysis.blocks.last(where: { $0.blankLine != nil }) else {
            return .broken(
                expected: expected,
                actual: "no event at all",
                evidence: Judge.head(exchange, redacting: context.redacting)
            )
        }
        let fields = last.fields.map { "\($0.name): \($0.value)" }
        let evidence = Evidence(
            summary: "\(exchange.label): last event at byte \(last.start); \(TranscriptText.describe(exchange.end))",
            excerpt: TranscriptText.excerpt(exchange, at: last.start, before: 0, after: 96),
            transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
        )
        if !wantedLists.contains(fields) {
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

    /// A scenario's first connection that opened a stream, with its terminated blocks and the blocks of each form
    /// Nest's bytes may take for the same declared events (what the Nest checks compare, block by block).
    struct FirstStream {
        var run: ScenarioRun
        var exchange: Exchange
        var blocks: [StreamAnalysis.Block]
        /// NestJS 11.1's own blocks first, then the forms with the reference server's divergences.
        var forms: [(form: NestForm, blocks: [StreamAnalysis.Block])]
    }

    static func firstStreams(_ context: CheckContext) async throws -> [FirstStream] {
        var streams: [FirstStream] = []
        for run in try await context.probes.scenarioRuns() {
            guard let exchange = run.exchanges.first, exchange.opensEventSource else { continue }
            let blocks = await context.analysis(of: exchange).blocks.filter { $0.blankLine != nil }
            let forms = nestForms(run.scenario, atLeast: exchange.body.count).map { form in
                let analysis = StreamAnalysis(
                    Exchange(
                        label: "nest",
                        url: "",
                        status: 200,
                        chunks: [BodyChunk(offset: 0, time: 0, bytes: form.bytes)],
                        end: .completed
                    ),
                    maxLineLength: context.configuration.maxLine
                )
                return (form, analysis.blocks.filter { $0.blankLine != nil })
            }
            streams.append(FirstStream(run: run, exchange: exchange, blocks: blocks, forms: forms))
        }
        return streams
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

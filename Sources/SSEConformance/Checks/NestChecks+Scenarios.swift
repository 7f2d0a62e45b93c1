import SSEScenarios
import ServerSentEvents

/// The `nestjs` profile's scenario-only checks: each scenario's first connection against the bytes the reference
/// encoder (NestEventEncoder) writes for the same declared events.
extension Catalogue {
    static let nestScenarioChecks: [Check] = [
        Check(
            id: "nest/object-data-json",
            level: .should,
            modes: [.scenarios],
            profile: .nestjs,
            summary: "object data is one data: line of JSON.stringify output",
            reference: nest("data: an object (or array) is JSON.stringify'd on one line.")
        ) { context in
            try await judgeObjectData(context)
        },
        Check(
            id: "nest/wire-identical",
            level: .should,
            modes: [.scenarios],
            profile: .nestjs,
            summary: "each scenario's body equals the reference encoder's bytes for the declared events",
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

    /// nest/error-event: the failing source's last event is event: error, the next id, the message; then the end.
    static func judgeErrorEvent(_ context: CheckContext) async throws -> Verdict {
        guard let run = try await scenarioRun(context, Scenario.Name.error), let exchange = run.exchanges.first,
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

    /// The declared events a scenario's first connection writes, in order: up to `perConnection`, or repeated for
    /// a source that never ends (enough for any listen).
    static func firstConnectionEvents(_ scenario: Scenario) -> [MessageEvent] {
        switch scenario.end {
        case .never: return Array(repeating: scenario.events, count: 64).flatMap { $0 }
        default: return Array(scenario.events.prefix(scenario.perConnection ?? scenario.events.count))
        }
    }
}

import ServerSentEvents

/// The `nestjs` profile: does the target behave like NestJS 11's `@Sse()` (measured bytes in fixtures/nest/)?
extension Catalogue {
    /// Nest 11's own SSE headers and values (names compared case-insensitively; `Expire` or `Expires`).
    static let nestHeaders = NestEventEncoder.headers

    static let nestReference = SpecReference(
        section: "NestJS 11 @Sse() wire format (measured)",
        // The NestJS documentation of @Sse(); the bytes themselves were measured (the project's fixtures/nest/).
        url: "https://docs.nestjs.com/techniques/server-sent-events",
        sentence: "Server-Sent Events ... the route handler returns an Observable stream"
    )

    static func nest(_ sentence: String) -> SpecReference {
        SpecReference(section: nestReference.section, url: nestReference.url, sentence: sentence)
    }

    /// Every nest/* check, in the catalogue's order (the scenario-only ones are in NestChecks+Scenarios.swift).
    static let nestChecks: [Check] = nestStreamChecks + nestScenarioChecks

    /// The checks that read any stream of the run, passive or scenario.
    static let nestStreamChecks: [Check] = [
        Check(
            id: "nest/headers",
            level: .should,
            modes: [.passive, .scenarios],
            profile: .nestjs,
            summary: "Nest's SSE header set and values (order free; Expire or Expires)",
            fetchStyle: .nestWire,
            reference: nest(
                "Nest writes Content-Type: text/event-stream, Connection: keep-alive, Cache-Control: private, no-cache, no-store, must-revalidate, max-age=0, no-transform, Pragma: no-cache, Expire: 0, X-Accel-Buffering: no."
            )
        ) { context in
            try await judgeHeads(context, streamsOnly: true) { exchange in
                var missing: [String] = []
                for (name, value) in nestHeaders {
                    var values = exchange.headers(name)
                    if name == "Expire" { values += exchange.headers("Expires") }
                    // HTTP/2 forbids connection-specific headers: Connection is only expected on HTTP/1.x.
                    if name == "Connection" && exchange.statusLine.hasPrefix("HTTP/2") { continue }
                    if !values.contains(value) {
                        missing.append(
                            values.isEmpty
                                ? "\(name) missing" : "\(name): \(values.joined(separator: ", ")) (Nest: \(value))"
                        )
                    }
                }
                guard !missing.isEmpty else { return nil }
                return (
                    nestHeaders.map { "\($0.name): \($0.value)" }.joined(separator: "; "),
                    missing.joined(separator: "; ")
                )
            }
        },
        Check(
            id: "nest/initial-newline",
            level: .should,
            modes: [.passive, .scenarios],
            profile: .nestjs,
            summary: "the body starts with Nest's single \\n",
            fetchStyle: .nestWire,
            reference: nest("On open, before any event, Nest writes a single LF.")
        ) { context in
            let streams = try await context.streams().filter { !$0.exchange.body.isEmpty }
            return Judge.every(streams, what: "a single initial LF", redacting: context.redacting) { stream in
                let body = stream.exchange.body
                if body[0] == 0x0A && (body.count == 1 || body[1] != 0x0A) { return nil }
                return Judge.Violation(
                    expected: "the body begins with one \\n, as Nest writes on open",
                    actual: "the body begins \(TranscriptText.escape(body.prefix(16)))",
                    summary: "\(stream.exchange.label): no single initial newline",
                    excerpt: TranscriptText.excerpt(stream.exchange, at: 0, before: 0, after: 32),
                    exchange: stream.exchange
                )
            }
        },
        Check(
            id: "nest/auto-ids",
            level: .should,
            modes: [.passive, .scenarios],
            profile: .nestjs,
            summary: "ids count 1, 2, 3... per connection where the app gave none",
            fetchStyle: .nestWire,
            reference: nest(
                "An absent or falsy id takes the per-connection counter 1, 2, 3...; an explicit id does not consume a number."
            ),
            // Passively an app's own numeric ids cannot be told from Nest's counter: an observation only.
            passiveLevel: .info
        ) { context in
            if context.modes.contains(.scenarios) {
                return try await judgeDeclaredIds(context)
            }
            let streams = try await context.streams()
            return Judge.every(streams, what: "ids counting 1, 2, 3", redacting: context.redacting) { stream in
                var expected = 1
                for block in stream.blocks where block.blankLine != nil {
                    guard let id = block.fields.last(where: { $0.name == "id" }) else {
                        return Judge.Violation(
                            expected: "every event carries an id line (Nest numbers events the app gave no id)",
                            actual: "an event with no id line at byte \(block.start)",
                            summary: "\(stream.exchange.label): event without id at byte \(block.start)",
                            excerpt: TranscriptText.excerpt(stream.exchange, at: block.start, before: 0, after: 64),
                            exchange: stream.exchange
                        )
                    }
                    // A non-numeric id is the app's own.
                    guard id.value.allSatisfy(\.isASCII), let number = Int(id.value) else { continue }
                    if number != expected {
                        return Judge.Violation(
                            expected: "automatic id \(expected)",
                            actual: "id \(id.value) at byte \(id.offset)",
                            summary: "\(stream.exchange.label): ids do not count from 1 per connection",
                            excerpt: TranscriptText.excerpt(stream.exchange, at: id.offset),
                            exchange: stream.exchange
                        )
                    }
                    expected += 1
                }
                return nil
            }
        },
        Check(
            id: "nest/field-order",
            level: .should,
            modes: [.passive, .scenarios],
            profile: .nestjs,
            summary: "event, id, retry, data in that order, LF line ends",
            fetchStyle: .nestWire,
            reference: nest(
                "Each event is one write, LF line ends, fields in the order event:, id:, retry:, data:, then an empty line."
            )
        ) { context in
            let rank = ["event": 0, "id": 1, "retry": 2, "data": 3]
            return Judge.every(
                try await context.streams(),
                what: "Nest's field order and LF line ends",
                redacting: context.redacting
            ) { stream in
                for block in stream.blocks {
                    if let terminator = block.terminators.first(where: { $0 != .lf }) {
                        return Judge.Violation(
                            expected: "LF line ends",
                            actual: "\(terminator.rawValue) line end in the block at byte \(block.start)",
                            summary: "\(stream.exchange.label): \(terminator.rawValue) line end",
                            excerpt: TranscriptText.excerpt(stream.exchange, at: block.start, before: 0, after: 64),
                            exchange: stream.exchange
                        )
                    }
                    let ranks = block.fields.map { rank[$0.name] ?? 4 }
                    if ranks != ranks.sorted() {
                        return Judge.Violation(
                            expected: "fields in the order event, id, retry, data",
                            actual: "fields \(block.fields.map(\.name).joined(separator: ", ")) at byte \(block.start)",
                            summary: "\(stream.exchange.label): field order differs from Nest's",
                            excerpt: TranscriptText.excerpt(stream.exchange, at: block.start, before: 0, after: 96),
                            exchange: stream.exchange
                        )
                    }
                }
                return nil
            }
        },
    ]

    /// nest/auto-ids, scenario half: the id lines are the declared ids, with the per-connection counter for
    /// events that gave none, as NestJS 11.1 numbers them (a numeric id 0 takes the counter) or as the reference
    /// server does (it writes id 0); every scenario where they differ from both is reported.
    static func judgeDeclaredIds(_ context: CheckContext) async throws -> Verdict {
        let streams = try await firstStreams(context)
        var breaks = CheckBreaks(unit: "scenario(s)")
        var referenceIds: [String] = []
        for stream in streams {
            let ids = stream.blocks.map { block in block.fields.last { $0.name == "id" }?.value }
            // Each form's ids, event by event, as far as the stream went.
            var closest: (form: NestForm, mismatch: Int?)?
            for (form, blocks) in stream.forms {
                let expected = blocks.map { block in block.fields.last { $0.name == "id" }?.value }
                let mismatch = zip(ids, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                if mismatch == nil {
                    closest = (form, nil)
                    break
                }
                if let best = closest?.mismatch, let mismatch, mismatch <= best { continue }
                closest = (form, mismatch)
            }
            guard let closest else { continue }
            guard let index = closest.mismatch else {
                if closest.form.divergences.contains(.writesZeroId) && stream.forms.count > 1 {
                    referenceIds.append(stream.run.scenario.name)
                }
                continue
            }
            let block = stream.blocks[index]
            let expected =
                stream.forms.first { $0.form.divergences == closest.form.divergences }?.blocks[index]
                .fields.last { $0.name == "id" }?.value ?? ""
            breaks.add(
                label: "scenario \(stream.run.scenario.name)",
                expected:
                    "scenario \(stream.run.scenario.name), event \(index + 1): id \(expected) (the counter counts only events without an id)",
                actual: ids[index].map { "id \($0)" } ?? "no id line",
                evidence: Evidence(
                    summary: "\(stream.exchange.label): event at byte \(block.start)",
                    excerpt: TranscriptText.excerpt(stream.exchange, at: block.start, before: 0, after: 64),
                    transcript: TranscriptText.transcript(stream.exchange, redacting: context.redacting)
                )
            )
        }
        if let verdict = breaks.verdict { return verdict }
        guard !streams.isEmpty else { return .notApplicable(reason: "no scenario stream was opened") }
        let how =
            referenceIds.isEmpty
            ? ""
            : "; a numeric id 0 written as id: 0, as the reference server does, in \(referenceIds.joined(separator: ", "))"
        return .held(evidence: Evidence(summary: "ids as Nest numbers them in \(streams.count) scenario(s)\(how)"))
    }
}

/// Helpers shared by the check groups: judging every stream of a run against one rule.
enum Judge {
    /// A rule broken in one stream.
    struct Violation {
        var expected: String
        var actual: String
        var summary: String
        var excerpt: String
        var exchange: Exchange
    }

    /// Applies `rule` to every stream; the first violation breaks the check, with its evidence. With no stream
    /// at all the check does not apply.
    static func every(
        _ streams: [StreamAnalysis],
        what: String,
        redacting: Set<String>,
        _ rule: (StreamAnalysis) -> Violation?
    ) -> Verdict {
        guard !streams.isEmpty else { return .notApplicable(reason: "no connection opened an event stream") }
        // No pass without evidence: a stream that sent nothing shows nothing about its framing.
        guard streams.contains(where: { !$0.exchange.chunks.isEmpty }) else {
            return .notApplicable(
                reason:
                    "the stream(s) opened but sent no body byte while we listened: nothing to judge (a longer --listen may see events)"
            )
        }
        for stream in streams {
            if let violation = rule(stream) {
                return .broken(
                    expected: violation.expected,
                    actual: violation.actual,
                    evidence: Evidence(
                        summary: violation.summary,
                        excerpt: violation.excerpt,
                        transcript: TranscriptText.transcript(violation.exchange, redacting: redacting)
                    )
                )
            }
        }
        // Nothing broke the rule in what could be read; but a block over --max-line was discarded unread, so the
        // harness cannot vouch for it: an error, not a pass.
        if let stream = streams.first(where: { !$0.errors.isEmpty }), let error = stream.errors.first {
            return .harnessError(
                reason: "\(stream.exchange.label): \(error); raise --max-line to judge it",
                evidence: Evidence(
                    summary: "\(stream.errors.count) block(s) over the \(error.limit)-byte limit were not judged",
                    excerpt: TranscriptText.excerpt(stream.exchange, at: error.offset, before: 0, after: 64)
                )
            )
        }
        let bytes = streams.reduce(0) { $0 + $1.exchange.chunks.reduce(0) { $0 + $1.bytes.count } }
        return .held(evidence: Evidence(summary: "\(what) in \(streams.count) stream(s), \(bytes) body bytes"))
    }

    /// Evidence naming one exchange's head.
    /// With `showing`, the summary also quotes those headers' values as received (escaped, so stray spaces or
    /// control bytes show), or says they were absent: the evidence shows the bytes in question.
    static func head(_ exchange: Exchange, redacting: Set<String>, showing: [String] = []) -> Evidence {
        let headers = exchange.responseHeaders.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        let shown = showing.map { name in
            let values = exchange.headers(name)
            return values.isEmpty
                ? "no \(name) header"
                : values.map { "\(name): " + TranscriptText.escape(Array($0.utf8)) }.joined(separator: ", ")
        }
        return Evidence(
            summary: "\(exchange.label): \(exchange.statusLine)" + shown.map { "; " + $0 }.joined(),
            excerpt: exchange.statusLine + "\n" + headers,
            transcript: TranscriptText.transcript(exchange, redacting: redacting)
        )
    }
}

extension CheckContext {
    var redacting: Set<String> { configuration.redactedHeaderNames }

    /// The exchanges whose response head the http checks judge: the primary, or each scenario's first
    /// connection when there is no passive target.
    func heads() async throws -> [Exchange] {
        var heads: [Exchange] = []
        if modes.contains(.passive) { heads.append(try await probes.primary()) }
        if modes.contains(.scenarios) {
            // Each scenario's first connection is declared 200; the header checks judge only those that opened.
            heads += try await probes.scenarioRuns().filter { $0.scenario.connections.first?.status == 200 }.compactMap(
                \.exchanges.first
            )
        }
        return heads
    }

    /// The streams whose response ended by itself (cleanly or not) while we listened: the ones end-of-stream
    /// rules can judge. Nil, with the reason, when every stream was endless.
    func endedStreams() async throws -> [StreamAnalysis] {
        try await streams().filter {
            switch $0.exchange.end {
            case .completed, .broken: return true
            default: return false
            }
        }
    }

    /// Appended to a skip for want of a scenario: how to get a verdict.
    static let scenariosHint =
        " (scenarios run with --scenarios BASEURL against a server mounting fixtures/scenarios/, or with the built-in server)"

    static let endlessReason =
        "no stream ended by itself while we listened (the target's streams are endless): a stream that ends within --listen, or the scenarios (--scenarios BASEURL), give a verdict"
}

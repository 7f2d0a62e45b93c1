/// Section 9.2.3 "Processing model": what the response head must be for an EventSource to open, and the HTTP
/// habits that keep events flowing through caches, compressors and proxies.
extension Catalogue {
    static let http: [Check] = [
        // "if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail the
        // connection."
        Check(
            id: "http/status-ok",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "the stream request is answered 200",
            fetchStyle: .responseHead,
            reference: .whatwg(
                "9.2.3 Processing model",
                anchor: "sse-processing-model",
                "if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail the connection."
            )
        ) { context in
            try await judgeHeads(context) { exchange in
                exchange.status == 200 ? nil : ("status 200", exchange.statusLine)
            }
        },
        Check(
            id: "http/content-type",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "media type text/event-stream (case-insensitive, parameters allowed)",
            fetchStyle: .responseHead,
            reference: .whatwg(
                "9.2.3 Processing model",
                anchor: "sse-processing-model",
                "if res's status is not 200, or if res's `Content-Type` is not `text/event-stream`, then fail the connection."
            )
        ) { context in
            try await judgeHeads(context, showing: ["Content-Type"]) { exchange in
                guard let value = exchange.header("Content-Type") else {
                    return ("Content-Type: text/event-stream", "no Content-Type header")
                }
                return exchange.mediaType == "text/event-stream"
                    ? nil : ("Content-Type: text/event-stream", "Content-Type: \(value)")
            }
        },
        // The EventSource constructor makes its request uncacheable; a server should say the same, so that no
        // cache or proxy between them serves or holds a stale stream.
        Check(
            id: "http/cache-control",
            level: .should,
            modes: [.passive, .scenarios],
            summary: "Cache-Control holds no-cache or no-store",
            fetchStyle: .responseHead,
            reference: .whatwg(
                "9.2.2 The EventSource interface",
                anchor: "dom-eventsource",
                "Set request's cache mode to \"no-store\"."
            )
        ) { context in
            try await judgeHeads(context, streamsOnly: true, showing: ["Cache-Control"]) { exchange in
                let directives = exchange.headers("Cache-Control").flatMap { $0.split(separator: ",") }
                    .map { $0.trimmingCharacters().lowercased() }
                if directives.contains("no-cache") || directives.contains("no-store") { return nil }
                let actual =
                    directives.isEmpty
                    ? "no Cache-Control header"
                    : "Cache-Control: \(exchange.headers("Cache-Control").joined(separator: ", "))"
                return ("Cache-Control with no-cache or no-store", actual)
            }
        },
        Check(
            id: "http/no-compression",
            level: .should,
            modes: [.passive, .scenarios],
            summary: "no Content-Encoding although the request offered gzip/br (compression holds events back)",
            fetchStyle: .responseHead,
            reference: .whatwg(
                "9.2.5 Parsing an event stream",
                anchor: "parsing-an-event-stream",
                "block buffering or line buffering with different expected line endings can cause delays in event dispatch."
            )
        ) { context in
            // Events seen per response, from the run's shared analyses (read before the synchronous rule).
            var events: [Int: Int] = [:]
            for exchange in try await context.heads() where exchange.opensEventSource {
                events[exchange.serial] = await context.analysis(of: exchange).events.count
            }
            return try await judgeHeads(context, streamsOnly: true, showing: ["Content-Encoding"]) { exchange in
                guard let offered = exchange.requestHeader("Accept-Encoding"), !offered.isEmpty else { return nil }
                let encodings = exchange.headers("Content-Encoding").map { $0.trimmingCharacters().lowercased() }
                    .filter { $0 != "identity" && !$0.isEmpty }
                guard !encodings.isEmpty else { return nil }
                // Say what was observed: some compressors are flushed per event (nginx gzip, Express with
                // res.flush()), others hold events until their buffer fills (delivery/unbuffered judges that).
                let seen =
                    (events[exchange.serial] ?? 0) > 0
                    ? "\(events[exchange.serial] ?? 0) event(s) still arrived here, so this compressor is flushed, but any compressor or proxy on the way must be too"
                    : "and no event arrived while we listened: see delivery/unbuffered"
                return (
                    "no Content-Encoding (the request offered \(offered))",
                    "Content-Encoding: \(encodings.joined(separator: ", ")); \(seen)"
                )
            }
        },
        Check(
            id: "http/streaming-body",
            level: .should,
            modes: [.passive, .scenarios],
            summary: "body not framed by Content-Length",
            fetchStyle: .responseHead,
            reference: .whatwg(
                "9.2.5 Parsing an event stream",
                anchor: "parsing-an-event-stream",
                "block buffering or line buffering with different expected line endings can cause delays in event dispatch."
            )
        ) { context in
            try await judgeHeads(context, streamsOnly: true, showing: ["Content-Length"]) { exchange in
                guard let length = exchange.header("Content-Length") else { return nil }
                return (
                    "a streamed body (chunked, or close-delimited; no Content-Length)",
                    "Content-Length: \(length): the whole body was known before it was sent, so it was not streamed"
                )
            }
        },
        Check(
            id: "http/cors",
            level: .should,
            modes: [.passive, .scenarios],
            summary: "Access-Control-Allow-Origin admits the --origin given",
            fetchStyle: .cors,
            reference: SpecReference(
                section: "Fetch, CORS protocol",
                url: "https://fetch.spec.whatwg.org/#http-cors-protocol",
                sentence:
                    "`Access-Control-Allow-Origin`: Indicates whether the response can be shared, via returning the literal value of the `Origin` request header (which can be `null`) or `*` in a response."
            )
        ) { context in
            guard let origin = context.configuration.origin else {
                return .notApplicable(reason: "opt-in: pass --origin ORIGIN to check cross-origin access")
            }
            return try await judgeHeads(context, streamsOnly: true, showing: ["Access-Control-Allow-Origin"]) {
                exchange in
                let allowed = exchange.headers("Access-Control-Allow-Origin").map { $0.trimmingCharacters() }
                if allowed == ["*"] || allowed == [origin] { return nil }
                return (
                    "Access-Control-Allow-Origin: \(origin) (or *)",
                    allowed.isEmpty
                        ? "no Access-Control-Allow-Origin header"
                        : "Access-Control-Allow-Origin: \(allowed.joined(separator: ", "))"
                )
            }
        },
    ]

    /// Judges every response head of the run; `rule` returns (expected, actual) when it is broken. With
    /// `streamsOnly`, only responses that opened an event stream are judged (the headers of an error page say
    /// nothing about how the server streams; http/status-ok and http/content-type report those).
    static func judgeHeads(
        _ context: CheckContext,
        streamsOnly: Bool = false,
        showing: [String] = [],
        _ rule: (Exchange) -> (String, String)?
    ) async throws -> Verdict {
        var heads = try await context.heads()
        if streamsOnly {
            heads = heads.filter(\.opensEventSource)
            if heads.isEmpty {
                return .notApplicable(
                    reason: "no response opened an event stream (see http/status-ok and http/content-type)"
                )
            }
        }
        guard !heads.isEmpty else { return .notApplicable(reason: "no response to judge") }
        for exchange in heads {
            guard exchange.status != nil else {
                return .harnessError(
                    reason: "\(exchange.label): \(TranscriptText.describe(exchange.end))",
                    evidence: Judge.head(exchange, redacting: context.redacting)
                )
            }
            if let (expected, actual) = rule(exchange) {
                return .broken(
                    expected: expected,
                    actual: actual,
                    evidence: Judge.head(exchange, redacting: context.redacting, showing: showing)
                )
            }
        }
        var evidence = Judge.head(heads[0], redacting: context.redacting)
        evidence.transcript = ""
        if heads.count > 1 { evidence.summary += " (and \(heads.count - 1) more response(s))" }
        return .held(evidence: evidence)
    }
}

extension String {
    func trimmingCharacters() -> String { trimmingSpaces() }
}
extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces() }
}

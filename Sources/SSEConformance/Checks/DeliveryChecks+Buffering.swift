/// delivery/unbuffered's passive half: the signature a buffer between the server and the client leaves on arrival
/// times (a reverse proxy with buffering on, a compressor that is not flushed, a framework's write buffer).
extension Catalogue {
    /// The usual causes and fixes, named in every buffering failure.
    static let bufferingFix =
        "a buffering reverse proxy (nginx: send `X-Accel-Buffering: no` or set `proxy_buffering off`), compression without a flush per event, or a write buffer the app does not flush after each event"

    /// Judges the primary stream's arrivals; nil when they show no buffering (or too little to tell).
    static func judgeBuffering(_ stream: StreamAnalysis, context: CheckContext) -> Verdict? {
        let exchange = stream.exchange
        let pattern = ArrivalPattern(stream)
        let times = pattern.dispatchTimes
        let listened = TranscriptText.milliseconds(exchange.endTime)
        func evidence(_ summary: String, at offset: Int = 0) -> Evidence {
            Evidence(
                summary: summary,
                excerpt: TranscriptText.excerpt(exchange, at: offset),
                transcript: TranscriptText.transcript(exchange, redacting: context.redacting)
            )
        }
        let encoding = exchange.header("Content-Encoding").map { $0.trimmingSpaces().lowercased() }
            .flatMap { $0.isEmpty || $0 == "identity" ? nil : $0 }
        if times.isEmpty {
            let decoded = exchange.chunks.reduce(0) { $0 + $1.bytes.count }
            // A compressed stream that delivered no event in the whole window: the compressor holds them (Express
            // `compression` without `res.flush()`: the head and a 10-byte gzip header, then nothing for minutes).
            if let encoding, exchange.end == .stoppedListening, exchange.endTime >= 2 {
                return .broken(
                    expected: "events delivered as they are produced",
                    actual:
                        "the response is compressed (Content-Encoding: \(encoding)) and not one event arrived in \(listened) ms (\(decoded) decoded byte(s)): the compressor holds the events; flush it after each event, or do not compress text/event-stream",
                    evidence: evidence(
                        "\(exchange.label): Content-Encoding: \(encoding), \(decoded) decoded byte(s), no event in \(listened) ms"
                    )
                )
            }
            // An open stream that sent nothing at all cannot be judged (nor can anything else about it).
            if exchange.chunks.isEmpty, exchange.end == .stoppedListening {
                return .harnessError(
                    reason:
                        "the stream opened (\(exchange.statusLine)) but not one byte arrived in \(listened) ms: nothing to judge; a longer --listen may see events, or the app does not write (or flush) them",
                    evidence: Judge.head(exchange, redacting: context.redacting)
                )
            }
            return nil
        }
        // Everything held, then released at once, after a silence.
        if times.count >= 3, let first = times.first, let last = times.last, first >= 1.0, last - first < 0.05 {
            return .broken(
                expected: "events delivered as they are produced",
                actual:
                    "nothing for \(TranscriptText.milliseconds(first)) ms, then all \(times.count) events within \(TranscriptText.milliseconds(last - first)) ms: something buffers the stream (\(bufferingFix))",
                evidence: evidence(
                    "\(exchange.label): \(times.count) events in one burst after \(TranscriptText.milliseconds(first)) ms of silence"
                        + headNote(exchange)
                )
            )
        }
        let bursts = pattern.bursts()
        let sizes = bursts.map { "\($0.bytes) B at +\(TranscriptText.milliseconds($0.start)) ms" }
        // Held and released again and again: most events arrive in bursts after silences.
        let inBursts = bursts.reduce(0) { $0 + $1.eventsCompleted }
        if bursts.count >= 2, Double(inBursts) >= 0.8 * Double(times.count) {
            return .broken(
                expected: "events delivered as they are produced",
                actual:
                    "\(inBursts) of \(times.count) events arrived in \(bursts.count) bursts after silences of \(bursts.map { "\(TranscriptText.milliseconds($0.silenceBefore)) ms" }.joined(separator: ", ")): something buffers the stream (\(bufferingFix))",
                evidence: evidence(
                    "\(exchange.label): bursts \(sizes.joined(separator: ", "))" + blobNote(bursts)
                        + headNote(exchange),
                    at: bursts[1].from
                )
            )
        }
        // A release that cut an event in two, after a burst: the rest of the event waited for the next release.
        if !bursts.isEmpty,
            let cut = pattern.releases.indices.first(where: { index in
                let release = pattern.releases[index]
                return release.endsMidEvent && release.eventsCompleted >= 2 && index + 1 < pattern.releases.count
                    && pattern.releases[index + 1].silenceBefore >= 0.5
            })
        {
            let release = pattern.releases[cut]
            let next = pattern.releases[cut + 1]
            return .broken(
                expected: "events delivered as they are produced",
                actual:
                    "\(release.eventsCompleted) events arrived at once after \(TranscriptText.milliseconds(release.silenceBefore)) ms of silence, the last one cut in two at byte \(release.to): its rest came \(TranscriptText.milliseconds(next.silenceBefore)) ms later with \(next.eventsCompleted) more: something buffers the stream (\(bufferingFix))",
                evidence: evidence(
                    "\(exchange.label): releases \(pattern.releases.prefix(6).map { "\($0.bytes) B at +\(TranscriptText.milliseconds($0.start)) ms" }.joined(separator: ", "))"
                        + blobNote(pattern.releases) + headNote(exchange),
                    at: release.to
                )
            )
        }
        return nil
    }

    /// Whether the event whose blank line is at `blank` waited because a buffer release cut it in two: its lines
    /// came at the end of a blob of several events and its blank line at the start of the next one. Such a wait is
    /// delivery/unbuffered's finding, not the server's framing.
    static func cutByRelease(_ pattern: ArrivalPattern, lastLine: Int, blank: Int?) -> Bool {
        guard let first = pattern.release(holding: lastLine), first.endsMidEvent, first.eventsCompleted >= 2 else {
            return false
        }
        guard let blank else { return true }
        guard let second = pattern.release(holding: blank) else { return false }
        return second.start > first.start && second.eventsCompleted >= 2
    }

    /// "; blobs of 4096 B: a buffer's size" where the bursts have a buffer's size.
    static func blobNote(_ releases: [ArrivalPattern.Release]) -> String {
        let blobs = releases.filter { $0.bytes >= 2048 && $0.bytes % 1024 == 0 }
        guard !blobs.isEmpty else { return "" }
        return
            "; \(blobs.count) release(s) of exactly \(Set(blobs.map(\.bytes)).sorted().map { "\($0) B" }.joined(separator: ", ")): a buffer's size"
    }

    /// "; the response head itself came after 3012 ms" when the head was held back.
    static func headNote(_ exchange: Exchange) -> String {
        guard let head = exchange.headTime, head >= 1 else { return "" }
        return "; the response head itself came after \(TranscriptText.milliseconds(head)) ms"
    }
}

/// One cause, one failure: when a passive run's stream never opens (a status other than 200, another media type),
/// an EventSource fails for good, so every check that judges the stream, its reconnection or its clients skips,
/// naming the check that reports the cause, instead of failing for the same cause again.
enum OpenStreamGate {
    /// Why `check` cannot be judged because the stream never opened, or nil when it can (or the run has scenarios,
    /// whose streams are judged one by one).
    static func reason(for check: Check, context: CheckContext) async -> String? {
        guard context.modes == [.passive], check.id != "http/status-ok",
            let primary = try? await context.probes.primary(), let status = primary.status,
            !primary.opensEventSource
        else { return nil }
        if status != 200 {
            return
                "the stream never opened (\(primary.statusLine); see http/status-ok): an EventSource fails for good, so there is no stream to judge"
        }
        if check.id == "http/content-type" { return nil }
        return
            "the stream never opened (Content-Type: \(primary.header("Content-Type") ?? "none"); see http/content-type): an EventSource fails for good, so there is no stream to judge"
    }
}

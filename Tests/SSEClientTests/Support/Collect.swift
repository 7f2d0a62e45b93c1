import SSEClient
import ServerSentEvents

/// What a source reported until it closed.
struct Collected: Sendable {
    var events: [EventSource.Event]
    /// True if the source had to be closed because `timeout` passed.
    var timedOut: Bool

    var messages: [ServerSentEvent] {
        events.compactMap { if case .message(let event) = $0 { event } else { nil } }
    }
    var data: [String] { messages.map(\.data) }
    var errors: [EventSourceError] {
        events.compactMap { if case .error(let error) = $0 { error } else { nil } }
    }
    var opens: [ResponseHead] {
        events.compactMap { if case .open(let head) = $0 { head } else { nil } }
    }
    /// The `.closed` reason: `.some(nil)` after close(), `.some(error)` after a failure, nil if never closed.
    var closed: EventSourceError?? {
        for case .closed(let reason) in events { return .some(reason) }
        return nil
    }
}

/// Reads a source's events until `.closed`, or until `stop` returns true (then closes it and reads on to
/// `.closed`), or until `timeout` passes (then closes it, and says so).
func collect(
    _ source: EventSource,
    timeout: Duration = .seconds(20),
    stopWhen stop: @Sendable ([EventSource.Event]) -> Bool = { _ in false }
) async -> Collected {
    let timer = Task {
        try? await Task.sleep(for: timeout)
        if !Task.isCancelled { source.close() }
        return !Task.isCancelled
    }
    var events: [EventSource.Event] = []
    var stopped = false
    for await event in source.events {
        events.append(event)
        if !stopped && stop(events) {
            stopped = true
            source.close()
        }
    }
    timer.cancel()
    let timedOut = await timer.value
    return Collected(events: events, timedOut: timedOut)
}

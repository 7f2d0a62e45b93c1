import ServerSentEvents

/// What one request to a scenario gets: a 204, or the events from a position, the pacing and the ending.
struct ScenarioPlan: Sendable {
    enum Answer: Sendable {
        /// 204 No Content.
        case noContent
        /// A stream of `scenario.events[start...]`, at most `limit` of them, then `ending`.
        case stream(start: Int, limit: Int?, ending: Scenario.Ending)
    }

    var answer: Answer
    var intervalMs: Int

    /// The plan for a request with this `Last-Event-ID` (nil or empty: a first connection) and interval override.
    init(scenario: Scenario, lastEventId: String?, intervalOverride: Int?) {
        var interval = max(0, min(intervalOverride ?? scenario.intervalMs, 3_600_000))
        if scenario.end == .never { interval = max(interval, 1) }
        intervalMs = interval
        let reconnecting = !(lastEventId ?? "").isEmpty
        var start = 0
        if reconnecting {
            switch scenario.onReconnect {
            case .restart:
                break
            case .noContent:
                answer = .noContent
                return
            case .resume:
                if let index = scenario.events.firstIndex(where: { Self.writtenId($0) == lastEventId }) {
                    start = index + 1
                    if start >= scenario.events.count, scenario.end != .never {
                        answer = .noContent
                        return
                    }
                }
            }
        }
        let remaining = scenario.events.count - start
        if let perConnection = scenario.perConnection, scenario.end == .never || perConnection < remaining {
            answer = .stream(start: start, limit: perConnection, ending: .complete)
        } else {
            answer = .stream(start: start, limit: nil, ending: scenario.end)
        }
    }

    /// The id an explicit `id` is written as (nil when the counter would be used).
    static func writtenId(_ event: MessageEvent) -> String? {
        switch event.id {
        case .number(let n): return String(n)
        case .text(let s) where !s.isEmpty: return String(s.unicodeScalars.filter { $0 != "\n" && $0 != "\r" })
        default: return nil
        }
    }
}

import NIOConcurrencyHelpers

/// Counts of streams and producers, kept per run token so concurrent checkers each see their own.
public struct StreamCounts: Sendable, Hashable {
    /// Responses whose event stream is being written now.
    public var openStreams = 0
    /// Producers (the handler's event sources) that were started.
    public var producersStarted = 0
    /// Producers that were stopped: finished, failed, or released because the client went away.
    public var producersStopped = 0

    /// Producers started and not yet stopped.
    public var producersRunning: Int { producersStarted - producersStopped }

    /// Creates counts.
    public init(openStreams: Int = 0, producersStarted: Int = 0, producersStopped: Int = 0) {
        self.openStreams = openStreams
        self.producersStarted = producersStarted
        self.producersStopped = producersStopped
    }

    /// The JSON the stats endpoint answers with.
    public func json(token: String?) -> String {
        var out = "{"
        if let token {
            var quoted = ""
            for scalar in token.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                default:
                    if scalar.value < 0x20 {
                        quoted += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                    } else {
                        quoted.unicodeScalars.append(scalar)
                    }
                }
            }
            out += "\"token\":\"\(quoted)\","
        }
        out += "\"openStreams\":\(openStreams),\"producersStarted\":\(producersStarted),"
        out += "\"producersStopped\":\(producersStopped),\"producersRunning\":\(producersRunning)}"
        return out
    }
}

/// Stream and producer counts of a server, in total and per run token.
public final class StreamStats: Sendable {
    private struct State {
        var total = StreamCounts()
        var byToken: [String: StreamCounts] = [:]
    }

    /// Tokens remembered at most; beyond it, tokens with nothing open are forgotten.
    static let tokenLimit = 4096
    private let state = NIOLockedValueBox(State())

    /// Creates empty statistics.
    public init() {}

    /// The counts of `token`, or the totals when it is nil.
    public func counts(token: String?) -> StreamCounts {
        state.withLockedValue { state in
            guard let token else { return state.total }
            return state.byToken[token] ?? StreamCounts()
        }
    }

    func update(token: String?, _ change: @Sendable (inout StreamCounts) -> Void) {
        state.withLockedValue { state in
            change(&state.total)
            guard let token else { return }
            if state.byToken[token] == nil, state.byToken.count >= Self.tokenLimit {
                state.byToken = state.byToken.filter { $0.value.openStreams > 0 || $0.value.producersRunning > 0 }
            }
            change(&state.byToken[token, default: StreamCounts()])
        }
    }

    func streamOpened(token: String?) { update(token: token) { $0.openStreams += 1 } }
    func streamClosed(token: String?) { update(token: token) { $0.openStreams -= 1 } }
    func producerStarted(token: String?) { update(token: token) { $0.producersStarted += 1 } }
    func producerStopped(token: String?) { update(token: token) { $0.producersStopped += 1 } }
}

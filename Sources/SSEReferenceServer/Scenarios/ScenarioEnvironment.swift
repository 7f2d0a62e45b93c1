import HTTPTypes
import Hummingbird
import HummingbirdSSE
import ServerSentEvents

/// What scenario routes share: statistics, tickers and the admission limit.
public final class ScenarioEnvironment: Sendable {
    /// Stream and producer counts, per run token.
    public let stats: StreamStats
    let tickers = TickerPool()
    let admission: StreamAdmission

    /// Creates an environment admitting at most `maxStreams` open streams at once.
    public init(stats: StreamStats = StreamStats(), maxStreams: Int = 16_384) {
        self.stats = stats
        self.admission = StreamAdmission(limit: maxStreams)
    }

    /// Streams open now, over every route of this environment.
    public var admittedStreams: Int { admission.admitted }

    func respond(
        to request: Request,
        scenario: Scenario,
        manifest: ScenarioManifest,
        closeNotifier: InboundCloseNotifier?
    ) -> Response {
        let query = request.uri.queryParameters
        let plan = ScenarioPlan(
            scenario: scenario,
            lastEventId: request.headers[.lastEventID],
            intervalOverride: query.get(manifest.intervalParameter, as: Int.self)
        )
        guard case .stream(let start, let limit, let ending) = plan.answer else {
            return Response(status: .noContent)
        }
        if request.method == .head {
            return Response.eventStream(EmptyEvents(), for: request)
        }
        let token = query.get(manifest.tokenParameter)
        let source = ScenarioSource(
            events: scenario.events,
            start: start,
            limit: limit,
            ending: ending,
            ticker: plan.intervalMs > 0 ? tickers.ticker(milliseconds: plan.intervalMs) : nil,
            stats: stats,
            token: token
        )
        return admitted(source, for: request, token: token, closeNotifier: closeNotifier)
    }

    /// The event-stream response for `events`, or 503 when the admission limit is reached; the stream is counted
    /// under `token` in ``stats``. For routes of one's own next to the scenarios (the fan-out bench's clock).
    public func admitted<Events: AsyncSequence & Sendable>(
        _ events: Events,
        for request: Request,
        token: String?,
        closeNotifier: InboundCloseNotifier?
    ) -> Response where Events.Element == MessageEvent {
        guard let ticket = admission.admit() else {
            return Response(status: .serviceUnavailable, headers: [.retryAfter: "1"])
        }
        let stats = self.stats
        let hooks = SSEStreamHooks(
            onOpen: { stats.streamOpened(token: token) },
            onClose: { _ in
                withExtendedLifetime(ticket) {}
                stats.streamClosed(token: token)
            }
        )
        return Response.eventStream(events, for: request, hooks: hooks, closeNotifier: closeNotifier)
    }
}

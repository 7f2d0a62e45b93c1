import HTTPTypes
import Hummingbird
import HummingbirdSSE
import ServerSentEvents

extension HTTPField.Name {
    /// `Last-Event-ID`: sent by a reconnecting EventSource.
    public static let lastEventID = HTTPField.Name("Last-Event-ID")!
}

extension RouterMethods {
    /// Mounts every scenario of `manifest` and its stats endpoint.
    ///
    /// Each scenario answers GET and HEAD on its path. The manifest's interval parameter overrides the pacing, its
    /// token parameter files the stream under a run token in `stats`, and a request with a non-empty
    /// `Last-Event-ID` is a reconnection, answered by the scenario's reconnect policy.
    @discardableResult
    public func addScenarios(_ manifest: ScenarioManifest, environment: ScenarioEnvironment) -> Self {
        for scenario in manifest.scenarios {
            let respond: @Sendable (Request, Context) async throws -> Response = { request, context in
                // The notifier first, then the response without another suspension: the handler's frame stays
                // small, and it is part of the connection task's deepest stack (see EventStreamWriter).
                let closeNotifier = await context.inboundCloseNotifier()
                return environment.respond(
                    to: request,
                    scenario: scenario,
                    manifest: manifest,
                    closeNotifier: closeNotifier
                )
            }
            on(RouterPath(scenario.path), method: .get, use: respond)
            on(RouterPath(scenario.path), method: .head, use: respond)
        }
        let stats = environment.stats
        on(RouterPath(manifest.statsPath), method: .get) { request, _ -> Response in
            let token = request.uri.queryParameters.get(manifest.tokenParameter)
            let json = stats.counts(token: token).json(token: token)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: json))
            )
        }
        return self
    }
}

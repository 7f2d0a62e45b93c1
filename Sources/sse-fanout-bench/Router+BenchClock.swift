import Hummingbird
import HummingbirdSSE
import SSEReferenceServer

extension RouterMethods {
    /// Mounts `bench/clock`: an endless stream whose data is the wall-clock time of its tick in microseconds since
    /// 1970, every `interval` ms (default 100), for measuring delivery latency from another process on this machine.
    /// Not a conformance scenario; counted in the stats like one.
    @discardableResult
    func addBenchClock(environment: ScenarioEnvironment, manifest: ScenarioManifest) -> Self {
        on("bench/clock", method: .get) { request, context -> Response in
            // The connection's notifier first, then the response without another suspension: this handler's frame,
            // part of the connection task's deepest stack, stays small (see EventStreamWriter).
            let closeNotifier = await context.inboundCloseNotifier()
            return Self.benchClockResponse(
                request,
                environment: environment,
                manifest: manifest,
                closeNotifier: closeNotifier
            )
        }
        return self
    }

    private static func benchClockResponse(
        _ request: Request,
        environment: ScenarioEnvironment,
        manifest: ScenarioManifest,
        closeNotifier: InboundCloseNotifier?
    ) -> Response {
        let query = request.uri.queryParameters
        let interval = max(1, min(query.get(manifest.intervalParameter, as: Int.self) ?? 100, 3_600_000))
        let token = query.get(manifest.tokenParameter)
        return environment.admitted(
            environment.clockEvents(everyMilliseconds: interval, token: token),
            for: request,
            token: token,
            closeNotifier: closeNotifier
        )
    }
}

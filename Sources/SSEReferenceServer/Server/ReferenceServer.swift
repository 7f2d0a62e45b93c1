import Hummingbird
import HummingbirdSSE
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The NestJS-compatible reference server: every scenario of a manifest and its stats endpoint.
public enum ReferenceServer {
    /// How to run the server.
    public struct Configuration: Sendable {
        /// The address to bind; loopback by default.
        public var host: String
        /// The port to bind; 0 picks a free one (read it back from ``RunningServer/port``).
        public var port: Int
        /// The scenarios to serve.
        public var manifest: ScenarioManifest
        /// Streams held open at most; more are refused with 503.
        public var maxStreams: Int
        /// Pending connections the listening socket queues.
        public var backlog: Int
        /// The log level of the server's logger.
        public var logLevel: Logger.Level
        /// Adds routes of one's own to the router after the scenarios' (the fan-out bench's `bench/clock`); they
        /// share the server's environment (stats, tickers, admission). None by default.
        public var additionalRoutes: @Sendable (Router<SSERequestContext>, ScenarioEnvironment) -> Void

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1",
            port: Int = 0,
            manifest: ScenarioManifest = .bundled,
            maxStreams: Int = 16_384,
            backlog: Int = 4096,
            logLevel: Logger.Level = .warning,
            additionalRoutes: @escaping @Sendable (Router<SSERequestContext>, ScenarioEnvironment) -> Void = { _, _ in }
        ) {
            self.host = host
            self.port = port
            self.manifest = manifest
            self.maxStreams = maxStreams
            self.backlog = backlog
            self.logLevel = logLevel
            self.additionalRoutes = additionalRoutes
        }
    }

    /// The router of the reference server: the scenarios and the stats endpoint. Serve it with an
    /// ``InboundCloseNotifier`` in each connection's pipeline (as ``start(_:)`` does) so that streams notice a
    /// client leaving without a reading task; without one they fall back to Hummingbird's mechanism.
    public static func makeRouter(
        manifest: ScenarioManifest = .bundled,
        environment: ScenarioEnvironment = ScenarioEnvironment()
    ) -> Router<SSERequestContext> {
        let router = Router(context: SSERequestContext.self)
        router.addScenarios(manifest, environment: environment)
        return router
    }

    /// Starts the server and returns once it listens.
    public static func start(host: String = "127.0.0.1", port: Int = 0) async throws -> RunningServer {
        try await start(Configuration(host: host, port: port))
    }

    /// Starts the server with `configuration` and returns once it listens.
    public static func start(_ configuration: Configuration) async throws -> RunningServer {
        let environment = ScenarioEnvironment(maxStreams: configuration.maxStreams)
        let bound = BoundPort()
        let app = makeApplication(configuration, environment: environment, onRunning: { bound.resolve(.success($0)) })
        var logger = Logger(label: "sse-reference-server")
        logger.logLevel = configuration.logLevel
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let finished = NIOLockedValueBox(false)
        let task = Task {
            defer { finished.withLockedValue { $0 = true } }
            do {
                try await group.run()
            } catch {
                bound.resolve(.failure(error))
                throw error
            }
            bound.resolve(.failure(RunningServer.StoppedBeforeListening()))
        }
        let port = try await bound.value
        return RunningServer(
            host: configuration.host,
            port: port,
            environment: environment,
            group: group,
            task: task,
            finished: finished
        )
    }

    /// Runs the server until SIGINT or SIGTERM, then shuts it down gracefully (open streams are ended cleanly).
    ///
    /// - Parameter onReady: Called with the base URL (`http://host:port/`) once the server listens.
    public static func runUntilSignalled(
        _ configuration: Configuration = Configuration(),
        onReady: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws {
        let environment = ScenarioEnvironment(maxStreams: configuration.maxStreams)
        let host = configuration.host
        let app = makeApplication(configuration, environment: environment) { port in
            onReady(RunningServer.baseURL(host: host, port: port))
        }
        var logger = Logger(label: "sse-reference-server")
        logger.logLevel = configuration.logLevel
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }

    /// Makes Swift concurrency run its tasks on SwiftNIO's event loops (no thread hop between a connection's I/O and
    /// its handler). Call it once, first thing in `main`, before any task starts; returns false where unsupported.
    @discardableResult
    public static func installEventLoopExecutor() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    static func makeApplication(
        _ configuration: Configuration,
        environment: ScenarioEnvironment,
        onRunning: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "sse-reference-server")
        logger.logLevel = configuration.logLevel
        let router = makeRouter(manifest: configuration.manifest, environment: environment)
        configuration.additionalRoutes(router, environment)
        return Application(
            router: router,
            server: .http1(
                configuration: .init(additionalChannelHandlers: [StreamConnectionTuning(), InboundCloseNotifier()])
            ),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil,
                backlog: configuration.backlog
            ),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}

import NIOConcurrencyHelpers
import ServiceLifecycle

/// A reference server started by ``ReferenceServer/start(host:port:)``.
public final class RunningServer: Sendable {
    /// The address it listens on.
    public let host: String
    /// The port it listens on (the one the system picked when 0 was asked for).
    public let port: Int
    /// Its statistics and admission state.
    public let environment: ScenarioEnvironment
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let finished: NIOLockedValueBox<Bool>

    init(
        host: String,
        port: Int,
        environment: ScenarioEnvironment,
        group: ServiceGroup,
        task: Task<Void, any Error>,
        finished: NIOLockedValueBox<Bool>
    ) {
        self.host = host
        self.port = port
        self.environment = environment
        self.group = group
        self.task = task
        self.finished = finished
    }

    /// Whether the server's run task has finished: its service group returned, the listener is closed.
    var hasStopped: Bool { finished.withLockedValue { $0 } }

    /// `http://host:port/`: scenario paths are relative to it.
    public var baseURL: String { Self.baseURL(host: host, port: port) }

    static func baseURL(host: String, port: Int) -> String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)/"
    }

    /// Shuts down gracefully: stops accepting, ends every open stream cleanly, waits for the connections to close.
    public func shutdown() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    struct StoppedBeforeListening: Error {}
}

/// The port the server reports once it listens, or the error that stopped it first.
final class BoundPort: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Int, any Error>?)
        case resolved(Result<Int, any Error>)
    }

    private let state = NIOLockedValueBox(State.waiting(nil))

    func resolve(_ result: Result<Int, any Error>) {
        let continuation = state.withLockedValue { state -> CheckedContinuation<Int, any Error>? in
            guard case .waiting(let continuation) = state else { return nil }
            state = .resolved(result)
            return continuation
        }
        continuation?.resume(with: result)
    }

    var value: Int {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let result = state.withLockedValue { state -> Result<Int, any Error>? in
                    switch state {
                    case .waiting:
                        state = .waiting(continuation)
                        return nil
                    case .resolved(let result):
                        return result
                    }
                }
                if let result { continuation.resume(with: result) }
            }
        }
    }
}

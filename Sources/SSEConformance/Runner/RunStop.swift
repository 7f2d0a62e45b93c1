import Synchronization

/// Ends a run early, once, from any thread: a signal, the whole-run deadline, or a `--serve-command` server that
/// exited. Checks still running end at once as `error` with the reason; checks not started are not started.
public final class RunStop: Sendable {
    /// Why a run was stopped.
    public enum Cause: Sendable, Hashable {
        /// SIGINT or SIGTERM (the signal number).
        case signal(Int32)
        /// The whole-run deadline (`--deadline`).
        case deadline
        /// The server `--serve-command` started exited.
        case serverExited
    }

    struct State {
        var stopped: (cause: Cause, reason: String)?
        var handlers: [Int: @Sendable (String) -> Void] = [:]
        var nextHandler = 0
    }

    private let state = Mutex(State())

    /// Creates a stop that has not fired.
    public init() {}

    /// Stops the run (the first call wins; later ones are ignored). Returns whether this call stopped it.
    @discardableResult
    public func stop(_ cause: Cause, reason: String) -> Bool {
        let handlers = state.withLock { s -> [@Sendable (String) -> Void]? in
            guard s.stopped == nil else { return nil }
            s.stopped = (cause, reason)
            defer { s.handlers = [:] }
            return Array(s.handlers.values)
        }
        guard let handlers else { return false }
        for handler in handlers { handler(reason) }
        return true
    }

    /// Why the run was stopped, or nil while it runs.
    public var reason: String? { state.withLock { $0.stopped?.reason } }

    /// What stopped the run, or nil while it runs.
    public var cause: Cause? { state.withLock { $0.stopped?.cause } }

    /// Calls `handler` with the reason when the run stops (at once if it already has). Returns a token for
    /// ``remove(_:)``.
    @discardableResult
    func onStop(_ handler: @escaping @Sendable (String) -> Void) -> Int {
        let (token, fired) = state.withLock { s -> (Int, String?) in
            if let stopped = s.stopped { return (-1, stopped.reason) }
            let token = s.nextHandler
            s.nextHandler += 1
            s.handlers[token] = handler
            return (token, nil)
        }
        if let fired { handler(fired) }
        return token
    }

    func remove(_ token: Int) {
        _ = state.withLock { $0.handlers.removeValue(forKey: token) }
    }

    /// Runs `operation` and returns its result, or throws ``RunStopped`` as soon as the run stops (the operation
    /// is cancelled, not waited for).
    public func race<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withDeadline(seconds: .infinity, stop: self, operation)
    }
}

/// The run was stopped (``RunStop``) before the operation finished.
public struct RunStopped: Error, Sendable, CustomStringConvertible {
    /// Why.
    public var reason: String
    public var description: String { reason }
}

import Synchronization

/// The operation ran out of time.
public struct TimedOut: Error, Sendable, CustomStringConvertible {
    /// The limit that was reached, in seconds.
    public var seconds: Double
    public var description: String { "timed out after \(seconds) s" }
}

/// Runs `operation` and returns its result, or throws ``TimedOut`` once `seconds` have passed (never, for an
/// infinite limit), or ``RunStopped`` as soon as `stop` fires, whether or not the operation honours cancellation
/// (it is cancelled, but never waited for). This is what keeps a run bounded when a target never answers.
public func withDeadline<T: Sendable>(
    seconds: Double,
    stop: RunStop? = nil,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let state = Mutex<CheckedContinuation<T, any Error>?>(nil)
    let work = Mutex<[Task<Void, Never>]>([])
    let stopToken = Mutex<Int?>(nil)
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            state.withLock { $0 = continuation }
            let finish: @Sendable (Result<T, any Error>) -> Void = { result in
                let waiting = state.withLock { stored -> CheckedContinuation<T, any Error>? in
                    defer { stored = nil }
                    return stored
                }
                waiting?.resume(with: result)
                for task in work.withLock({ $0 }) { task.cancel() }
                if let stop, let token = stopToken.withLock({ $0 }) { stop.remove(token) }
            }
            if Task.isCancelled {
                finish(.failure(CancellationError()))
                return
            }
            let runner = Task {
                do {
                    finish(.success(try await operation()))
                } catch {
                    finish(.failure(error))
                }
            }
            var tasks = [runner]
            if seconds.isFinite {
                tasks.append(
                    Task {
                        try? await Task.sleep(for: .milliseconds(Int(max(0, seconds) * 1000)))
                        if !Task.isCancelled { finish(.failure(TimedOut(seconds: seconds))) }
                    }
                )
            }
            work.withLock { $0 = tasks }
            if let stop {
                let token = stop.onStop { reason in finish(.failure(RunStopped(reason: reason))) }
                stopToken.withLock { $0 = token }
                // The stop may have fired (and this handler run) before the token was stored.
                if state.withLock({ $0 == nil }) { stop.remove(token) }
            }
        }
    } onCancel: {
        let waiting = state.withLock { stored -> CheckedContinuation<T, any Error>? in
            defer { stored = nil }
            return stored
        }
        waiting?.resume(throwing: CancellationError())
        for task in work.withLock({ $0 }) { task.cancel() }
    }
}

import Synchronization

/// The operation ran out of time.
public struct TimedOut: Error, Sendable, CustomStringConvertible {
    /// The limit that was reached, in seconds.
    public var seconds: Double
    public var description: String { "timed out after \(seconds) s" }
}

/// Runs `operation` and returns its result, or throws ``TimedOut`` once `seconds` have passed, whether or not the
/// operation honours cancellation (it is cancelled, but never waited for). This is what keeps a run bounded when
/// a target never answers.
public func withDeadline<T: Sendable>(
    seconds: Double,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let state = Mutex<CheckedContinuation<T, any Error>?>(nil)
    let work = Mutex<[Task<Void, Never>]>([])
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
            }
            let runner = Task {
                do {
                    finish(.success(try await operation()))
                } catch {
                    finish(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: .milliseconds(Int(max(0, seconds) * 1000)))
                if !Task.isCancelled { finish(.failure(TimedOut(seconds: seconds))) }
            }
            work.withLock { $0 = [runner, timer] }
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

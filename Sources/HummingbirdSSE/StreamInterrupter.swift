import NIOConcurrencyHelpers

/// Cancels the task that writes an event stream when its client goes away or the server shuts down.
///
/// Hummingbird reports an inbound close through a callback; Nest unsubscribes from the handler's Observable at that
/// moment. Cancelling the writing task itself stops the handler's sequence at once without another child task per
/// connection. The task is only touched while ``run(_:)`` is on its stack, so it is alive whenever it is cancelled.
final class StreamInterrupter: @unchecked Sendable {
    private let lock = NIOLock()
    private var task: UnsafeCurrentTask?
    private var reason: SSEStreamHooks.End?

    /// Why the stream was interrupted, or nil if it was not.
    var interruption: SSEStreamHooks.End? { lock.withLock { reason } }

    /// Runs `body` in the current task, which ``interrupt(_:)`` cancels until `body` returns.
    func run<T>(_ body: () async throws -> T) async rethrows -> T {
        withUnsafeCurrentTask { current in
            lock.withLock {
                if reason != nil {
                    current?.cancel()
                } else {
                    task = current
                }
            }
        }
        defer { lock.withLock { task = nil } }
        return try await body()
    }

    /// Records why the stream stops (the first reason wins) and cancels the writing task if it is running.
    func interrupt(_ why: SSEStreamHooks.End) {
        lock.withLock {
            if reason == nil { reason = why }
            task?.cancel()
            task = nil
        }
    }
}

import NIOConcurrencyHelpers

/// Cancels the task that writes an event stream when its client goes away or the server shuts down.
///
/// Hummingbird reports an inbound close through a callback; Nest unsubscribes from the handler's Observable at that
/// moment. Cancelling the writing task itself stops the handler's sequence at once without another child task per
/// connection. The task is only touched between ``attach()`` and ``detach()``, which the writing task calls itself, so
/// it is alive whenever it is cancelled.
final class StreamInterrupter: @unchecked Sendable {
    private let lock = NIOLock()
    private var task: UnsafeCurrentTask?
    private var reason: SSEStreamHooks.End?

    /// Why the stream was interrupted, or nil if it was not.
    var interruption: SSEStreamHooks.End? { lock.withLock { reason } }

    /// Makes the current task the one ``interrupt(_:)`` cancels, until ``detach()`` (cancels it at once if the stream
    /// was already interrupted). Attach and detach around the writing, on the writing task: no closure and no async
    /// frame of its own, so a waiting stream's task stack stays shallow.
    func attach() {
        withUnsafeCurrentTask { current in
            lock.withLock {
                if reason != nil {
                    current?.cancel()
                } else {
                    task = current
                }
            }
        }
    }

    /// Stops cancelling the current task on ``interrupt(_:)``.
    func detach() {
        lock.withLock { task = nil }
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

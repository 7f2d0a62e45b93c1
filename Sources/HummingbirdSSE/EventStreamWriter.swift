import HummingbirdCore
import NIOCore
import ServerSentEvents
import ServiceLifecycle

/// Writes a handler's events to a response body as NestJS 11.1 does.
///
/// The initial `\n`, then one write per event via ``ServerSentEvents/NestEventEncoder`` (or, for a
/// ``MessageEventBatchIterator``, one write per batch of owed events), then the end of the response when the
/// sequence finishes. When it throws: `event: error`, the next id and the error's message, then the end. When the
/// client goes away the writing task is cancelled at once (Nest unsubscribes). On graceful shutdown the stream is
/// ended cleanly so the server can drain.
enum EventStreamWriter {
    /// Most events written in one buffer.
    static let batchLimit = 64

    /// How the writer learns that the client went away.
    enum CloseWatch {
        /// Hummingbird's `consumeWithInboundCloseHandler` (a child task reads the request).
        case requestBody(RequestBody)
        /// The connection's ``InboundCloseNotifier`` (no task).
        case notifier(InboundCloseNotifier)
    }

    /// The handler's events with their type erased: the writer's async functions are not generic, so they need no
    /// per-call allocations for values of unknown size and keep small frames (see ``run(_:closeWatch:writer:)``).
    struct Source: Sendable {
        /// Starts the handler's sequence (its producer starts here).
        let makeIterator: @Sendable () -> any MessageEventBatchIterator

        init<Events: AsyncSequence & Sendable>(_ events: Events) where Events.Element == MessageEvent {
            makeIterator = {
                let iterator = events.makeAsyncIterator()
                if let batching = iterator as? any MessageEventBatchIterator { return batching }
                return OneEventBatches(base: iterator)
            }
        }
    }

    // The writing task waits in `pumpBatches` for as long as the stream is open, with every frame between it and the
    // connection's own on its task stack. The Swift runtime keeps a task's stack at its deepest extent until the task
    // ends, so the frames on that path are kept small: nothing on it is generic, and setup, the end of the response
    // and the error event are in functions of their own, called only when needed.

    static func run(
        _ source: Source,
        closeWatch: CloseWatch,
        writer: inout any ResponseBodyWriter
    ) async -> SSEStreamHooks.End {
        let interrupter = StreamInterrupter()
        let end: SSEStreamHooks.End
        switch closeWatch {
        case .requestBody(let requestBody):
            end = await pumpReadingBody(source, requestBody: requestBody, interrupter: interrupter, writer: &writer)
        case .notifier(let notifier):
            notifier.onClose { interrupter.interrupt(.cancelled) }
            end = await pumpUntilInterrupted(source, interrupter: interrupter, writer: &writer)
            notifier.clearCallback()
        }
        switch end {
        case .cancelled:
            break
        case .completed, .failed, .shutdown:
            await finish(&writer)
        }
        return end
    }

    /// Without a notifier: Hummingbird's `consumeWithInboundCloseHandler` reads the request in a child task.
    private static func pumpReadingBody(
        _ source: Source,
        requestBody: RequestBody,
        interrupter: StreamInterrupter,
        writer: inout any ResponseBodyWriter
    ) async -> SSEStreamHooks.End {
        do {
            return try await requestBody.consumeWithInboundCloseHandler { _ in
                await pumpUntilInterrupted(source, interrupter: interrupter, writer: &writer)
            } onInboundClosed: {
                interrupter.interrupt(.cancelled)
            }
        } catch {
            return interrupter.interruption ?? .cancelled
        }
    }

    /// Writes the stream until it ends, the client goes away or the server shuts down; returns how it ended.
    @inline(__always)
    private static func pumpUntilInterrupted(
        _ source: Source,
        interrupter: StreamInterrupter,
        writer: inout any ResponseBodyWriter
    ) async -> SSEStreamHooks.End {
        interrupter.attach()
        defer { interrupter.detach() }
        do {
            return try await withGracefulShutdownHandler {
                try await pump(source, writer: &writer)
            } onGracefulShutdown: {
                interrupter.interrupt(.shutdown)
            }
        } catch {
            // The sequence was interrupted, or a write failed because the client is gone.
            return interrupter.interruption ?? .cancelled
        }
    }

    /// Ends the response (the stream completed, failed or the server shuts down).
    private static func finish(_ writer: inout any ResponseBodyWriter) async {
        if Task.isCancelled {
            // Interrupted (shutdown, or a race with the end of the sequence): a cancelled task's writes are
            // dropped, so end the response from a fresh task.
            let transfer = UncheckedSendableBox(writer)
            await Task { try? await transfer.value.finish(nil) }.value
        } else {
            try? await writer.finish(nil)
        }
    }

    /// Writes the preamble and the events; returns how the sequence ended. Write errors are thrown.
    @inline(__always)
    private static func pump(
        _ source: Source,
        writer: inout any ResponseBodyWriter
    ) async throws -> SSEStreamHooks.End {
        try await writer.write(ByteBuffer(bytes: NestEventEncoder.preamble))
        var iterator = source.makeIterator()
        return try await pumpBatches(&iterator, writer: &writer)
    }

    /// One write per batch; for a sequence without batches (``OneEventBatches``), one write per event.
    private static func pumpBatches(
        _ iterator: inout any MessageEventBatchIterator,
        writer: inout any ResponseBodyWriter
    ) async throws -> SSEStreamHooks.End {
        var encoder = NestEventEncoder()
        var batch: [MessageEvent] = []
        while true {
            let more: Bool
            do {
                more = try await iterator.nextBatch(into: &batch, limit: batchLimit)
            } catch {
                return try await writeError(error, pending: &batch, encoder: &encoder, writer: &writer)
            }
            guard more else { return .completed }
            try await writer.write(encode(&batch, with: &encoder))
        }
    }

    /// The text of a batch of events in one buffer; empties the batch (nothing is kept between batches: an idle
    /// stream holds no buffer). Not inlined, so its temporaries are not kept in the waiting stream's frame.
    @inline(never)
    private static func encode(_ batch: inout [MessageEvent], with encoder: inout NestEventEncoder) -> ByteBuffer {
        var text = ""
        for event in batch { encoder.encode(event, into: &text) }
        batch.removeAll()
        return ByteBuffer(string: text)
    }

    /// The handler's sequence threw: the events it handed over in that call, then Nest's error event (unless the
    /// stream was interrupted), in one write. Not inlined: the waiting stream's frame must not hold its locals.
    @inline(never)
    private static func writeError(
        _ error: any Error,
        pending batch: inout [MessageEvent],
        encoder: inout NestEventEncoder,
        writer: inout any ResponseBodyWriter
    ) async throws -> SSEStreamHooks.End {
        if Task.isCancelled { throw CancellationError() }
        let message = (error as? SSESourceError)?.message ?? String(describing: error)
        var buffer = encode(&batch, with: &encoder)
        buffer.writeBytes(encoder.encodeError(message: message))
        try await writer.write(buffer)
        return .failed
    }
}

/// A sequence without batches seen as one: each batch is the next event alone, so it is written on its own as
/// before.
struct OneEventBatches<Base: AsyncIteratorProtocol>: MessageEventBatchIterator where Base.Element == MessageEvent {
    var base: Base

    mutating func next() async throws -> MessageEvent? {
        try await base.next()
    }

    mutating func nextBatch(into events: inout [MessageEvent], limit: Int) async throws -> Bool {
        guard let event = try await base.next() else { return false }
        events.append(event)
        return true
    }
}

/// Carries a value the compiler cannot prove Sendable across a task boundary; used where only one task touches it
/// at a time.
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

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

    // The writing task waits in `pumpBatches` for as long as the stream is open, with every frame between it and the
    // connection's own on its task stack. The Swift runtime keeps a task's stack at its deepest extent until the task
    // ends, so the frames on that path are kept small: setup, the end of the response and the error event are in
    // functions of their own, called only when needed.

    static func run<Events: AsyncSequence>(
        _ events: Events,
        closeWatch: CloseWatch,
        writer: inout any ResponseBodyWriter
    ) async -> SSEStreamHooks.End where Events.Element == MessageEvent {
        let interrupter = StreamInterrupter()
        let end: SSEStreamHooks.End
        switch closeWatch {
        case .requestBody(let requestBody):
            end = await pumpReadingBody(events, requestBody: requestBody, interrupter: interrupter, writer: &writer)
        case .notifier(let notifier):
            notifier.onClose { interrupter.interrupt(.cancelled) }
            end = await pumpUntilInterrupted(events, interrupter: interrupter, writer: &writer)
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
    private static func pumpReadingBody<Events: AsyncSequence>(
        _ events: Events,
        requestBody: RequestBody,
        interrupter: StreamInterrupter,
        writer: inout any ResponseBodyWriter
    ) async -> SSEStreamHooks.End where Events.Element == MessageEvent {
        do {
            return try await requestBody.consumeWithInboundCloseHandler { _ in
                await pumpUntilInterrupted(events, interrupter: interrupter, writer: &writer)
            } onInboundClosed: {
                interrupter.interrupt(.cancelled)
            }
        } catch {
            return interrupter.interruption ?? .cancelled
        }
    }

    /// Writes the stream until it ends, the client goes away or the server shuts down; returns how it ended.
    private static func pumpUntilInterrupted<Events: AsyncSequence>(
        _ events: Events,
        interrupter: StreamInterrupter,
        writer: inout any ResponseBodyWriter
    ) async -> SSEStreamHooks.End where Events.Element == MessageEvent {
        do {
            return try await withGracefulShutdownHandler {
                interrupter.attach()
                defer { interrupter.detach() }
                return try await pump(events, writer: &writer)
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
    private static func pump<Events: AsyncSequence>(
        _ events: Events,
        writer: inout any ResponseBodyWriter
    ) async throws -> SSEStreamHooks.End where Events.Element == MessageEvent {
        try await writer.write(ByteBuffer(bytes: NestEventEncoder.preamble))
        var iterator = events.makeAsyncIterator()
        if var batching = iterator as? any MessageEventBatchIterator {
            return try await pumpBatches(&batching, writer: &writer)
        }
        return try await pumpEach(&iterator, writer: &writer)
    }

    private static func pumpBatches<Iterator: MessageEventBatchIterator>(
        _ iterator: inout Iterator,
        writer: inout any ResponseBodyWriter
    ) async throws -> SSEStreamHooks.End {
        var encoder = NestEventEncoder()
        var batch: [MessageEvent] = []
        while true {
            let more: Bool
            do {
                more = try await iterator.nextBatch(into: &batch, limit: batchLimit)
            } catch {
                return try await writeError(error, encoder: &encoder, writer: &writer)
            }
            guard more else { return .completed }
            // Nothing is kept between batches: an idle stream holds no buffer.
            var text = ""
            for event in batch { encoder.encode(event, into: &text) }
            batch.removeAll()
            try await writer.write(ByteBuffer(string: text))
        }
    }

    private static func pumpEach<Iterator: AsyncIteratorProtocol>(
        _ iterator: inout Iterator,
        writer: inout any ResponseBodyWriter
    ) async throws -> SSEStreamHooks.End where Iterator.Element == MessageEvent {
        var encoder = NestEventEncoder()
        while true {
            let event: MessageEvent?
            do {
                event = try await iterator.next()
            } catch {
                return try await writeError(error, encoder: &encoder, writer: &writer)
            }
            guard let event else { return .completed }
            var text = ""
            encoder.encode(event, into: &text)
            try await writer.write(ByteBuffer(string: text))
        }
    }

    /// The handler's sequence threw: Nest's error event (unless the stream was interrupted).
    private static func writeError(
        _ error: any Error,
        encoder: inout NestEventEncoder,
        writer: inout any ResponseBodyWriter
    ) async throws -> SSEStreamHooks.End {
        if Task.isCancelled { throw CancellationError() }
        let message = (error as? SSESourceError)?.message ?? String(describing: error)
        try await writer.write(ByteBuffer(bytes: encoder.encodeError(message: message)))
        return .failed
    }
}

/// Carries a value the compiler cannot prove Sendable across a task boundary; used where only one task touches it
/// at a time.
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

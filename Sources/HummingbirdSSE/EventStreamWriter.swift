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

    static func run<Events: AsyncSequence>(
        _ events: Events,
        closeWatch: CloseWatch,
        writer: inout any ResponseBodyWriter
    ) async -> SSEStreamHooks.End where Events.Element == MessageEvent {
        let interrupter = StreamInterrupter()
        var end: SSEStreamHooks.End
        do {
            switch closeWatch {
            case .requestBody(let requestBody):
                end = try await requestBody.consumeWithInboundCloseHandler { _ in
                    try await withGracefulShutdownHandler {
                        try await interrupter.run {
                            try await pump(events, writer: &writer)
                        }
                    } onGracefulShutdown: {
                        interrupter.interrupt(.shutdown)
                    }
                } onInboundClosed: {
                    interrupter.interrupt(.cancelled)
                }
            case .notifier(let notifier):
                notifier.onClose { interrupter.interrupt(.cancelled) }
                defer { notifier.clearCallback() }
                end = try await withGracefulShutdownHandler {
                    try await interrupter.run {
                        try await pump(events, writer: &writer)
                    }
                } onGracefulShutdown: {
                    interrupter.interrupt(.shutdown)
                }
            }
        } catch {
            // The sequence was interrupted, or a write failed because the client is gone.
            end = interrupter.interruption ?? .cancelled
        }
        switch end {
        case .cancelled:
            break
        case .completed, .failed, .shutdown:
            if Task.isCancelled {
                // Interrupted (shutdown, or a race with the end of the sequence): a cancelled task's writes are
                // dropped, so end the response from a fresh task.
                let transfer = UncheckedSendableBox(writer)
                await Task { try? await transfer.value.finish(nil) }.value
            } else {
                try? await writer.finish(nil)
            }
        }
        return end
    }

    /// Writes the preamble and the events; returns how the sequence ended.
    private static func pump<Events: AsyncSequence>(
        _ events: Events,
        writer: inout any ResponseBodyWriter
    ) async throws -> SSEStreamHooks.End where Events.Element == MessageEvent {
        var encoder = NestEventEncoder()
        try await writer.write(ByteBuffer(bytes: NestEventEncoder.preamble))
        var iterator = events.makeAsyncIterator()
        do {
            if var batching = iterator as? any MessageEventBatchIterator {
                try await pumpBatches(&batching, encoder: &encoder, writer: &writer)
            } else {
                while let event = try await iterator.next() {
                    var text = ""
                    encoder.encode(event, into: &text)
                    do {
                        try await writer.write(ByteBuffer(string: text))
                    } catch {
                        throw WriteFailure(underlying: error)
                    }
                }
            }
            return .completed
        } catch let error as WriteFailure {
            throw error.underlying
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let message = (error as? SSESourceError)?.message ?? String(describing: error)
            try await writer.write(ByteBuffer(bytes: encoder.encodeError(message: message)))
            return .failed
        }
    }

    private static func pumpBatches<Iterator: MessageEventBatchIterator>(
        _ iterator: inout Iterator,
        encoder: inout NestEventEncoder,
        writer: inout any ResponseBodyWriter
    ) async throws {
        var batch: [MessageEvent] = []
        while try await iterator.nextBatch(into: &batch, limit: batchLimit) {
            // Nothing is kept between batches: an idle stream holds no buffer.
            var text = ""
            for event in batch { encoder.encode(event, into: &text) }
            batch.removeAll()
            let buffer = ByteBuffer(string: text)
            do {
                try await writer.write(buffer)
            } catch {
                throw WriteFailure(underlying: error)
            }
        }
    }

    /// A write error, kept apart from the source's errors (which become the error event).
    private struct WriteFailure: Error {
        var underlying: any Error
    }
}

/// Carries a value the compiler cannot prove Sendable across a task boundary; used where only one task touches it
/// at a time.
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

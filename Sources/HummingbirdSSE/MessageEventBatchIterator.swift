import ServerSentEvents

/// An iterator of ``ServerSentEvents/MessageEvent``s that can hand over every event that is ready in one call.
///
/// The event-stream writer asks for batches when the handler's sequence has such an iterator, so a connection
/// that fell behind writes everything it owes in one buffer (chunk boundaries carry no meaning in an event
/// stream) instead of one write per event.
public protocol MessageEventBatchIterator: AsyncIteratorProtocol where Element == MessageEvent {
    /// Waits until at least one event is ready or the source ends, then appends the ready events, at most
    /// `limit` of them, to `events`.
    ///
    /// - Returns: false when the source has ended (nothing was appended); true otherwise.
    /// - Throws: when the source fails; the events appended in this call are written before the error event.
    mutating func nextBatch(into events: inout [MessageEvent], limit: Int) async throws -> Bool
}

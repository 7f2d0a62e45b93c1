import Hummingbird
import HummingbirdSSE
import ServerSentEvents
import Testing

@testable import SSEReferenceServer

/// A ``MessageEventBatchIterator`` may hand over events and fail in the same call: those events are the
/// application's, written before the error event, which takes the next id (as Nest numbers an error after the
/// events it wrote).
@Suite struct BatchFailureTests {
    /// One batch: `events` appended, then `SSESourceError("boom")`.
    struct FailingBatch: AsyncSequence, Sendable {
        typealias Element = MessageEvent
        var events: [MessageEvent]

        struct AsyncIterator: MessageEventBatchIterator {
            var events: [MessageEvent]
            mutating func next() async throws -> MessageEvent? { nil }
            mutating func nextBatch(into batch: inout [MessageEvent], limit: Int) async throws -> Bool {
                batch.append(contentsOf: events)
                throw SSESourceError("boom")
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(events: events) }
    }

    final class Box: @unchecked Sendable { var wire: HTTPWire? }

    @Test(arguments: [0, 2])
    func eventsHandedOverBeforeAFailureAreWritten(_ count: Int) async throws {
        let box = Box()
        let router = Router()
        let events = (0..<count).map { MessageEvent(data: .string("e\($0)")) }
        router.sse("probe") { _, _ in FailingBatch(events: events) }
        try await withLiveRouter(router) { port in
            box.wire = try HTTPWire(
                parsing: try await RawHTTPClient.exchange(port: port, request: RawHTTPClient.request("/probe"))
            )
        }
        let wire = try #require(box.wire)
        let written = (0..<count).map { "id: \($0 + 1)\ndata: e\($0)\n\n" }.joined()
        #expect(wire.bodyText == "\n" + written + "event: error\nid: \(count + 1)\ndata: boom\n\n")
    }
}

extension EventSource {
    /// The events of a source, for one consumer: an `AsyncStream` that also tells the source how far the consumer
    /// has read, so a source with `maxPendingEvents` stops reading the response while the consumer lags (memory
    /// stays bounded against a flood; the server sees backpressure, no event is dropped).
    public struct Events: AsyncSequence, Sendable {
        public typealias Element = Event
        let stream: AsyncStream<Event>
        let core: EventSourceCore

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(base: stream.makeAsyncIterator(), core: core)
        }

        /// Iterates the events.
        public struct AsyncIterator: AsyncIteratorProtocol {
            var base: AsyncStream<Event>.AsyncIterator
            let core: EventSourceCore

            public mutating func next() async -> Event? {
                let event = await base.next()
                if event != nil { core.consumed() }
                return event
            }

            public mutating func next(isolation actor: isolated (any Actor)?) async -> Event? {
                let event = await base.next(isolation: actor)
                if event != nil { core.consumed() }
                return event
            }
        }
    }
}

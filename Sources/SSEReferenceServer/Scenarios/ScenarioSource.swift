import HummingbirdSSE
import ServerSentEvents

/// The events of one scenario response, paced by a shared ticker: Nest's Observable for a scenario route.
///
/// The producer starts when the sequence is iterated and stops when the iterator is released (the source ended,
/// failed, or the client went away); both moments are counted in ``StreamStats`` under the request's token.
struct ScenarioSource: AsyncSequence, Sendable {
    typealias Element = MessageEvent

    let events: [MessageEvent]
    let start: Int
    let limit: Int?
    let ending: Scenario.Ending
    let ticker: SharedTicker?
    let stats: StreamStats
    let token: String?

    func makeAsyncIterator() -> Iterator {
        Iterator(producer: Producer(source: self))
    }

    struct Iterator: MessageEventBatchIterator {
        let producer: Producer

        mutating func next() async throws -> MessageEvent? {
            var batch: [MessageEvent] = []
            guard try await producer.nextBatch(into: &batch, limit: 1) else { return nil }
            return batch.first
        }

        mutating func nextBatch(into events: inout [MessageEvent], limit: Int) async throws -> Bool {
            try await producer.nextBatch(into: &events, limit: limit)
        }
    }

    /// The running producer: its position, its ticker subscription, its statistics.
    final class Producer: @unchecked Sendable {
        private let source: ScenarioSource
        private let subscription: TickerSubscription?
        private var position: Int
        private var emitted = 0
        private var owedTicks: UInt64 = 0
        private var failed = false

        init(source: ScenarioSource) {
            self.source = source
            self.position = source.start
            self.subscription = source.ticker?.subscribe()
            source.stats.producerStarted(token: source.token)
        }

        deinit {
            subscription?.finish()
            source.stats.producerStopped(token: source.token)
        }

        /// Events left before the ending (nil: unbounded).
        private var remaining: Int? {
            let inList = source.ending == .never ? nil : source.events.count - position
            switch (inList, source.limit) {
            case (nil, nil): return nil
            case (let a?, nil): return a
            case (nil, let b?): return b - emitted
            case (let a?, let b?): return Swift.min(a, b - emitted)
            }
        }

        func nextBatch(into events: inout [MessageEvent], limit: Int) async throws -> Bool {
            if let remaining, remaining <= 0 {
                if case .error(let message) = source.ending, source.limit.map({ emitted < $0 }) ?? true, !failed {
                    failed = true
                    throw SSESourceError(message)
                }
                return false
            }
            var count = limit
            if let remaining { count = Swift.min(count, remaining) }
            if let subscription {
                if owedTicks == 0 {
                    let ticks = try await subscription.next()
                    owedTicks = ticks.upperBound - ticks.lowerBound + 1
                }
                count = Swift.min(count, Int(clamping: owedTicks))
                owedTicks -= UInt64(count)
            }
            for _ in 0..<count {
                events.append(source.events[position % source.events.count])
                position += 1
            }
            emitted += count
            if source.ending == .never, position >= source.events.count { position %= source.events.count }
            return true
        }
    }
}

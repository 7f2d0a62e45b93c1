import HummingbirdSSE
import ServerSentEvents

/// One event per tick of a shared ticker, carrying the tick's wall-clock time (µs since 1970): for measuring
/// delivery latency (the fan-out bench's `bench/clock` route). Made by
/// ``ScenarioEnvironment/clockEvents(everyMilliseconds:token:)``.
public struct ClockSource: AsyncSequence, Sendable {
    public typealias Element = MessageEvent

    let ticker: SharedTicker
    let stats: StreamStats
    let token: String?

    public func makeAsyncIterator() -> Iterator { Iterator(producer: Producer(source: self)) }

    public struct Iterator: MessageEventBatchIterator {
        let producer: Producer

        public mutating func next() async throws -> MessageEvent? {
            var batch: [MessageEvent] = []
            _ = try await producer.nextBatch(into: &batch, limit: 1)
            return batch.first
        }

        public mutating func nextBatch(into events: inout [MessageEvent], limit: Int) async throws -> Bool {
            try await producer.nextBatch(into: &events, limit: limit)
        }
    }

    final class Producer: @unchecked Sendable {
        private let source: ClockSource
        private let subscription: TickerSubscription
        private var owed: ClosedRange<UInt64>?

        init(source: ClockSource) {
            self.source = source
            self.subscription = source.ticker.subscribe()
            source.stats.producerStarted(token: source.token)
        }

        deinit {
            subscription.finish()
            source.stats.producerStopped(token: source.token)
        }

        func nextBatch(into events: inout [MessageEvent], limit: Int) async throws -> Bool {
            // Only the wait is asynchronous: a stream waits here between ticks, so this frame stays small.
            if owed == nil { owed = try await subscription.next() }
            takeOwed(into: &events, limit: limit)
            return true
        }

        private func takeOwed(into events: inout [MessageEvent], limit: Int) {
            guard let ticks = owed else { return }
            let last = Swift.min(ticks.upperBound, ticks.lowerBound + UInt64(limit) - 1)
            for tick in ticks.lowerBound...last {
                let time = source.ticker.wallTime(ofTick: tick) ?? 0
                events.append(MessageEvent(data: .string(String(time))))
            }
            owed = last < ticks.upperBound ? (last + 1)...ticks.upperBound : nil
        }
    }
}

extension ScenarioEnvironment {
    /// An endless stream of the wall-clock times of the shared `milliseconds` ticker's ticks, its producer counted
    /// under `token` in ``stats``. Serve it with ``admitted(_:for:token:closeNotifier:)``.
    public func clockEvents(everyMilliseconds milliseconds: Int, token: String?) -> ClockSource {
        ClockSource(ticker: tickers.ticker(milliseconds: milliseconds), stats: stats, token: token)
    }
}

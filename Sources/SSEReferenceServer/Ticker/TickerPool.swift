import NIOConcurrencyHelpers

/// The shared tickers of one server: for each interval in milliseconds, a few tickers on staggered phases.
///
/// One ticker per interval would wake every stream of that interval in the same instant, and the last of a
/// thousand streams would get its event a whole fan-out later. Subscriptions are dealt round-robin over tickers
/// whose ticks are spread evenly across the interval, as independent per-stream timers would be.
final class TickerPool: Sendable {
    private struct Entry {
        var tickers: [SharedTicker]
        var next = 0
    }

    private let epoch = ContinuousClock.now
    private let entries = NIOLockedValueBox<[Int: Entry]>([:])

    /// Phases per interval: one per 5 ms of interval, at most 16.
    static func phaseCount(milliseconds: Int) -> Int {
        Swift.max(1, Swift.min(16, milliseconds / 5))
    }

    /// The ticker a new stream paced every `milliseconds` (at least 1) should follow.
    func ticker(milliseconds: Int) -> SharedTicker {
        let milliseconds = Swift.max(1, milliseconds)
        return entries.withLockedValue { entries in
            if entries[milliseconds] == nil {
                let count = Self.phaseCount(milliseconds: milliseconds)
                let interval = Duration.milliseconds(milliseconds)
                let tickers = (0..<count).map { index in
                    SharedTicker(interval: interval, epoch: epoch, phase: interval * index / count)
                }
                entries[milliseconds] = Entry(tickers: tickers)
            }
            let ticker = entries[milliseconds]!.tickers[entries[milliseconds]!.next]
            entries[milliseconds]!.next = (entries[milliseconds]!.next + 1) % entries[milliseconds]!.tickers.count
            return ticker
        }
    }
}

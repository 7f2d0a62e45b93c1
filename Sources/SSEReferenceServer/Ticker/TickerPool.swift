import NIOConcurrencyHelpers

/// The shared tickers of one server, one per interval in milliseconds.
final class TickerPool: Sendable {
    private let tickers = NIOLockedValueBox<[Int: SharedTicker]>([:])

    /// The ticker for `milliseconds` (at least 1), created on first use.
    func ticker(milliseconds: Int) -> SharedTicker {
        let milliseconds = max(1, milliseconds)
        return tickers.withLockedValue { tickers in
            if let ticker = tickers[milliseconds] { return ticker }
            let ticker = SharedTicker(interval: .milliseconds(milliseconds))
            tickers[milliseconds] = ticker
            return ticker
        }
    }
}

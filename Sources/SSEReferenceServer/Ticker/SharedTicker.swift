import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// One clock that paces every stream with the same interval.
///
/// A sleeping task per connection does not scale (measured: new streams stopped being accepted); one ticker per
/// interval wakes every waiting subscriber on each tick. A subscriber that fell behind learns how many ticks it owes
/// and writes them in one buffer. The ticker runs only while it has subscribers.
final class SharedTicker: @unchecked Sendable {
    /// The interval between ticks.
    let interval: Duration
    /// Ticks fall on `epoch + phase + n * interval`.
    private let epoch: ContinuousClock.Instant
    private let phase: Duration
    private let lock = NIOLock()
    private var tick: UInt64 = 0
    private var subscriberCount = 0
    private var running = false
    private var waiting: [TickerSubscription] = []
    private var spare: [TickerSubscription] = []
    /// Wall-clock time (µs since 1970) of recent ticks, by tick number modulo the ring's size.
    private var wallTimes = [Int64](repeating: 0, count: SharedTicker.ringSize)
    private static let ringSize = 4096

    init(interval: Duration, epoch: ContinuousClock.Instant = .now, phase: Duration = .zero) {
        self.interval = interval
        self.epoch = epoch
        self.phase = phase
    }

    /// The first tick time after `now` on this ticker's grid.
    private func nextDeadline(after now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let origin = epoch.advanced(by: phase)
        guard now >= origin else { return origin }
        let periods = Int(((now - origin) / interval).rounded(.down)) + 1
        return origin.advanced(by: interval * periods)
    }

    /// Starts following the ticker; the first tick the subscription sees is the next one.
    func subscribe() -> TickerSubscription {
        let (subscription, start) = lock.withLock { () -> (TickerSubscription, Bool) in
            subscriberCount += 1
            let start = !running
            running = true
            let subscription = TickerSubscription(
                ticker: self,
                seen: tick,
                loop: MultiThreadedEventLoopGroup.currentEventLoop
            )
            return (subscription, start)
        }
        if start { startLoop() }
        return subscription
    }

    /// Wall-clock time of tick `number` in µs since 1970, or nil if it is too old to be remembered.
    func wallTime(ofTick number: UInt64) -> Int64? {
        lock.withLock {
            guard number <= tick, tick - number < UInt64(Self.ringSize) else { return nil }
            return wallTimes[Int(number % UInt64(Self.ringSize))]
        }
    }

    fileprivate func unsubscribe(_ subscription: TickerSubscription) {
        let continuation = lock.withLock { () -> CheckedContinuation<UInt64, any Error>? in
            subscriberCount -= 1
            subscription.cancelled = true
            if let index = waiting.firstIndex(where: { $0 === subscription }) {
                waiting.remove(at: index)
            }
            defer { subscription.continuation = nil }
            return subscription.continuation
        }
        continuation?.resume(throwing: CancellationError())
    }

    /// Waits until a tick later than `seen`; returns the latest tick number. Inlined into
    /// ``TickerSubscription/next()``: a waiting stream keeps one frame fewer on its task stack.
    @inline(__always)
    fileprivate func wait(_ subscription: TickerSubscription) async throws -> UInt64 {
        if let latest = lock.withLock({ tick > subscription.seen ? tick : nil }) { return latest }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UInt64, any Error>) in
                enum Action {
                    case wait
                    case resume(UInt64)
                    case cancel
                }
                let action = lock.withLock { () -> Action in
                    if subscription.cancelled { return .cancel }
                    if tick > subscription.seen { return .resume(tick) }
                    subscription.continuation = continuation
                    waiting.append(subscription)
                    return .wait
                }
                switch action {
                case .wait: break
                case .resume(let latest): continuation.resume(returning: latest)
                case .cancel: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let continuation = lock.withLock { () -> CheckedContinuation<UInt64, any Error>? in
                subscription.cancelled = true
                if let index = waiting.firstIndex(where: { $0 === subscription }) {
                    waiting.remove(at: index)
                }
                defer { subscription.continuation = nil }
                return subscription.continuation
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    private func startLoop() {
        Task { [self] in
            let clock = ContinuousClock()
            var deadline = nextDeadline(after: clock.now)
            while true {
                try? await clock.sleep(until: deadline, tolerance: .zero)
                let now = clock.now
                let wallNow = Int64(Date().timeIntervalSince1970 * 1_000_000)
                // Every deadline passed counts as a tick: a late wake-up owes the missed ticks, which subscribers
                // then write in one buffer. Each tick's time is its deadline (so lateness shows as latency).
                var deadlines: [ContinuousClock.Instant] = [deadline]
                var next = deadline.advanced(by: interval)
                while next <= now, deadlines.count < Self.ringSize {
                    deadlines.append(next)
                    next = next.advanced(by: interval)
                }
                if next <= now { next = nextDeadline(after: now) }
                var due: [TickerSubscription] = []
                let latest = lock.withLock { () -> UInt64? in
                    if subscriberCount == 0 {
                        running = false
                        return nil
                    }
                    for tickDeadline in deadlines {
                        tick += 1
                        let lateness = now - tickDeadline
                        let lateMicroseconds =
                            lateness.components.seconds * 1_000_000
                            + lateness.components.attoseconds / 1_000_000_000_000
                        wallTimes[Int(tick % UInt64(Self.ringSize))] = wallNow - lateMicroseconds
                    }
                    swap(&due, &waiting)
                    swap(&waiting, &spare)
                    return tick
                }
                guard let latest else { return }
                // Wake each subscriber on the event loop it subscribed from (its connection's, when tasks run on
                // NIO's loops), so its writes need no thread hop.
                var byLoop: [ObjectIdentifier: (any EventLoop, [CheckedContinuation<UInt64, any Error>])] = [:]
                for subscription in due {
                    let continuation = lock.withLock { () -> CheckedContinuation<UInt64, any Error>? in
                        defer { subscription.continuation = nil }
                        return subscription.continuation
                    }
                    guard let continuation else { continue }
                    if let loop = subscription.loop {
                        byLoop[ObjectIdentifier(loop), default: (loop, [])].1.append(continuation)
                    } else {
                        continuation.resume(returning: latest)
                    }
                }
                for (loop, continuations) in byLoop.values {
                    loop.execute {
                        for continuation in continuations { continuation.resume(returning: latest) }
                    }
                }
                due.removeAll(keepingCapacity: true)
                lock.withLock { if spare.isEmpty { swap(&spare, &due) } }
                deadline = next
            }
        }
    }
}

/// One stream's place on a ``SharedTicker``. Unsubscribes when released.
final class TickerSubscription: @unchecked Sendable {
    let ticker: SharedTicker
    /// The last tick this subscriber has consumed. Touched only by the subscriber's task.
    var seen: UInt64
    /// The event loop the subscriber runs on, if any: it is woken there.
    let loop: (any EventLoop)?
    // Guarded by the ticker's lock.
    fileprivate var continuation: CheckedContinuation<UInt64, any Error>?
    fileprivate var cancelled = false
    private var finished = false

    fileprivate init(ticker: SharedTicker, seen: UInt64, loop: (any EventLoop)?) {
        self.ticker = ticker
        self.seen = seen
        self.loop = loop
    }

    /// Waits for the next tick; returns the ticks owed since the last call (at least 1) as a range of tick numbers.
    func next() async throws -> ClosedRange<UInt64> {
        let latest = try await ticker.wait(self)
        defer { seen = latest }
        return (seen + 1)...latest
    }

    /// Stops following the ticker (also done on release).
    func finish() {
        guard !finished else { return }
        finished = true
        ticker.unsubscribe(self)
    }

    deinit { finish() }
}

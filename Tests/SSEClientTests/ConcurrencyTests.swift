import Foundation
import SSEClient
import Synchronization
import Testing

@Suite("Concurrency")
struct ConcurrencyTests {
    /// 1,000 streams at once on the one engine thread: every one opens, gets its five events (100 ms apart, so all
    /// streams are open together) and closes. Prints the wall time, the most streams open at once and the
    /// process's peak RSS (the figure for `sse-bench clients`).
    @Test func thousandConcurrentStreamsAllComplete() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let count = 1_000
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        configuration.connectTimeout = .seconds(30)
        let url = server.url("/few?n=5&gap_ms=100")
        let open = OpenStreams()
        let rssBefore = memoryStatus("VmRSS")
        let start = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: Collected.self) { group in
            for _ in 0..<count {
                let source = try EventSource(url: url, configuration: configuration)
                group.addTask {
                    await collect(source, timeout: .seconds(60)) { events in
                        switch events.last {
                        case .open: open.opened()
                        case .error: open.ended()
                        default: break
                        }
                        return false
                    }
                }
            }
            var all: [Collected] = []
            for try await result in group { all.append(result) }
            return all
        }
        let elapsed = ContinuousClock.now - start
        let rssAfter = memoryStatus("VmRSS")
        let peakOpen = open.peak
        print(
            "sse-client concurrent streams: \(count) streams x 5 events 100 ms apart in \(elapsed), "
                + "\(peakOpen) open at once, peak RSS \(memoryStatus("VmHWM")) MiB "
                + "(whole test process; RSS \(rssBefore) MiB before the streams, \(rssAfter) MiB after)"
        )

        #expect(results.count == count)
        #expect(peakOpen > count / 2)
        let complete = results.filter { $0.data == ["event 1", "event 2", "event 3", "event 4", "event 5"] }
        #expect(complete.count == count)
        #expect(results.allSatisfy { !$0.timedOut && $0.closed??.kind == .reconnectionLimit })
    }
}

/// Counts the streams open at once.
final class OpenStreams: Sendable {
    private let state = Mutex((now: 0, peak: 0))

    func opened() {
        state.withLock {
            $0.now += 1
            $0.peak = max($0.peak, $0.now)
        }
    }

    func ended() { state.withLock { $0.now -= 1 } }

    var peak: Int { state.withLock { $0.peak } }
}

/// A `/proc/self/status` memory figure (`VmRSS`, `VmHWM`...) in MiB, or -1 where there is none.
func memoryStatus(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        let kib = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        return (kib ?? -1024) / 1024
    }
    return -1
}

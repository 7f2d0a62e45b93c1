import Foundation
import SSEClient
import Testing

@Suite("Concurrency")
struct ConcurrencyTests {
    /// 1,000 streams at once on the one engine thread: every one opens, gets its five events and closes.
    /// Prints the wall time and the process's peak RSS (the figure for `sse-bench clients`).
    @Test func thousandConcurrentStreamsAllComplete() async throws {
        let server = try await TestServer.scenarios()
        defer { server.stop() }
        let count = 1_000
        var configuration = EventSource.Configuration()
        configuration.maxReconnections = 0
        configuration.connectTimeout = .seconds(30)
        let url = server.url("/few?n=5")
        let start = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: Collected.self) { group in
            for _ in 0..<count {
                let source = try EventSource(url: url, configuration: configuration)
                group.addTask { await collect(source, timeout: .seconds(60)) }
            }
            var all: [Collected] = []
            for try await result in group { all.append(result) }
            return all
        }
        let elapsed = ContinuousClock.now - start
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("sse-client 1000 streams: \(count) streams x 5 events in \(elapsed), peak RSS \(usage.ru_maxrss / 1024) MiB (whole test process)")

        #expect(results.count == count)
        let complete = results.filter { $0.data == ["event 1", "event 2", "event 3", "event 4", "event 5"] }
        #expect(complete.count == count)
        #expect(results.allSatisfy { !$0.timedOut && $0.closed??.kind == .reconnectionLimit })
    }
}

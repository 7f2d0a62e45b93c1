import Foundation
import Hummingbird
import HummingbirdSSE
import NIOCore
import NIOPosix
import ServerSentEvents
import Testing

@testable import SSEReferenceServer

/// Aborts, HEAD, admission and graceful shutdown.
@Suite struct LifecycleTests {
    /// The stats endpoint's answer for `token`.
    func stats(port: Int, token: String) async throws -> [String: Any] {
        let bytes = try await RawHTTPClient.exchange(
            port: port,
            request: RawHTTPClient.request("/stats?token=\(token)")
        )
        let wire = try HTTPWire(parsing: bytes)
        return try JSONSerialization.jsonObject(with: Data(wire.body)) as? [String: Any] ?? [:]
    }

    @Test("aborting a never-ending stream stops its producer at once (stats)")
    func abortReleasesProducer() async throws {
        try await withServer { server in
            let token = "abort-\(UInt32.random(in: 0...UInt32.max))"
            let bytes = try await RawHTTPClient.exchange(
                port: server.port,
                request: RawHTTPClient.request("/scenarios/never?interval=10&token=\(token)")
            ) { bytes in
                blankLineCount((try? HTTPWire(parsing: bytes))?.body ?? []) >= 2
            }
            #expect(dispatches(of: try HTTPWire(parsing: bytes).body).events.count >= 2)
            // The connection is closed now. Nest unsubscribes within the millisecond and so does the server on an idle
            // machine; the bound is generous because a full parallel `swift test` (1,000 client streams, CLI runs)
            // can keep this process from being scheduled for seconds.
            let deadline = ContinuousClock.now + Self.starvedServerBound
            var last: [String: Any] = [:]
            repeat {
                last = try await stats(port: server.port, token: token)
                if last["producersStopped"] as? Int == 1, last["openStreams"] as? Int == 0 { break }
                try await Task.sleep(for: .milliseconds(10))
            } while ContinuousClock.now < deadline
            #expect(last["producersStarted"] as? Int == 1)
            #expect(last["producersStopped"] as? Int == 1)
            #expect(last["producersRunning"] as? Int == 0)
            #expect(last["openStreams"] as? Int == 0)
            #expect(server.environment.admittedStreams == 0)
        }
    }

    @Test("while a stream is open the stats show it under its token only")
    func statsPerToken() async throws {
        try await withServer { server in
            let port = server.port
            let observed = try await RawHTTPClient.exchange(
                port: port,
                request: RawHTTPClient.request("/scenarios/never?interval=5&token=mine")
            ) { bytes in
                blankLineCount((try? HTTPWire(parsing: bytes))?.body ?? []) >= 1
            }
            #expect(!observed.isEmpty)
            let other = try await stats(port: port, token: "someone-else")
            #expect(other["producersStarted"] as? Int == 0)
            #expect(other["token"] as? String == "someone-else")
        }
    }

    @Test(
        "a generic route's sequence is cancelled at once when the client goes away",
        arguments: [false, true]
    )
    func genericRouteCancelled(withNotifier: Bool) async throws {
        let terminated = TerminationFlag()
        // With the notifier the stream watches the pipeline; without it, Hummingbird's reading task.
        let router = Router(context: SSERequestContext.self)
        router.sse("forever") { _, _ in
            AsyncStream<MessageEvent> { continuation in
                continuation.yield(MessageEvent(data: "hello"))
                continuation.onTermination = { _ in terminated.set() }
            }
        }
        try await withLiveRouter(router, notifier: withNotifier) { port in
            _ = try await RawHTTPClient.exchange(port: port, request: RawHTTPClient.request("/forever")) { bytes in
                blankLineCount((try? HTTPWire(parsing: bytes))?.body ?? []) >= 1
            }
            // Generous: at once on an idle machine, but a loaded test process may not be scheduled for seconds.
            let deadline = ContinuousClock.now + Self.starvedServerBound
            while !terminated.isSet, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(terminated.isSet)
        }
    }

    @Test("HEAD answers Nest's headers with no body and starts no producer", arguments: ["sse", "scenarios/never"])
    func head(path: String) async throws {
        try await withServer { server in
            let bytes = try await RawHTTPClient.exchange(
                port: server.port,
                request: RawHTTPClient.request("/\(path)?token=head", method: "HEAD")
            ) { bytes in
                bytes.count >= 4 && Array(bytes.suffix(4)) == [13, 10, 13, 10]
            }
            let wire = try HTTPWire(parsing: bytes)
            #expect(wire.status == 200)
            for field in NestSSEHeaders.fields {
                #expect(wire.header(field.name.rawName) == field.value)
            }
            #expect(wire.body.isEmpty)
            #expect(try await stats(port: server.port, token: "head")["producersStarted"] as? Int == 0)
        }
    }

    /// How long these tests wait for their in-process server: no timing is judged by it, and at the start of a full
    /// parallel run (hundreds of tests, browsers, compilers and Python servers starting on 2 cores, the cooperative
    /// pool's two threads busy) 5 s and 10 s bounds have run out before the server answered at all.
    static let starvedServerBound: Duration = .seconds(40)

    @Test("over the admission limit a stream is refused with 503")
    func admissionLimit() async throws {
        try await withServer(.init(maxStreams: 1)) { server in
            let port = server.port
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await RawHTTPClient.exchange(
                        port: port,
                        request: RawHTTPClient.request("/scenarios/never?interval=20"),
                        timeout: Self.starvedServerBound
                    ) {
                        bytes in blankLineCount((try? HTTPWire(parsing: bytes))?.body ?? []) >= 5
                    }
                }
                // Wait until the first stream holds the only slot (not a fixed sleep: a loaded machine is slower).
                let admitted = ContinuousClock.now + Self.starvedServerBound
                while server.environment.stats.counts(token: nil).openStreams < 1, ContinuousClock.now < admitted {
                    try await Task.sleep(for: .milliseconds(5))
                }
                let refused = try HTTPWire(
                    parsing: try await RawHTTPClient.exchange(
                        port: port,
                        request: RawHTTPClient.request("/scenarios/never"),
                        timeout: Self.starvedServerBound
                    )
                )
                #expect(refused.status == 503)
                try await group.waitForAll()
            }
            // The slot is free again once the first stream is gone (generous bound, as above).
            let deadline = ContinuousClock.now + Self.starvedServerBound
            while server.environment.admittedStreams > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(server.environment.admittedStreams == 0)
        }
    }

    @Test("graceful shutdown ends open streams cleanly, then stops listening")
    func gracefulShutdown() async throws {
        let server = try await ReferenceServer.start()
        let port = server.port
        let token = "shutdown-\(UInt32.random(in: 0...UInt32.max))"
        let opened = TerminationFlag()
        async let streamed = RawHTTPClient.exchange(
            port: port,
            request: RawHTTPClient.request("/scenarios/never?interval=10&token=\(token)"),
            timeout: Self.starvedServerBound
        ) { bytes in
            if blankLineCount((try? HTTPWire(parsing: bytes))?.body ?? []) >= 1 { opened.set() }
            return false
        }
        let openBy = ContinuousClock.now + Self.starvedServerBound
        while !opened.isSet, ContinuousClock.now < openBy { try await Task.sleep(for: .milliseconds(5)) }
        try #require(opened.isSet, "the never-ending stream sent no event")
        let started = ContinuousClock.now
        try await server.shutdown()
        // A shutdown that waited for the never-ending stream would never end; 10 s leaves room for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(10))
        let wire = try HTTPWire(parsing: try await streamed)
        #expect(wire.status == 200)
        #expect(wire.complete, "the stream must end with the chunked terminator")
        #expect(wire.bodyText.hasSuffix("\n\n"))
        // Stopped listening: the server's run task (its service group, the listener with it) has finished, and the
        // old server no longer answers. A connection to its port may still succeed when a test running in parallel
        // was given the same port number, so the proof is that no answer comes from the server that served this
        // stream (its stats would count the token's producer).
        #expect(server.hasStopped, "the server's run task has not finished")
        let answer = try? await RawHTTPClient.exchange(
            port: port,
            request: RawHTTPClient.request("/stats?token=\(token)"),
            timeout: .seconds(5)
        )
        let stats = answer.flatMap { try? HTTPWire(parsing: $0) }.flatMap {
            try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]
        }
        let producers = stats?["producersStarted"] as? Int ?? 0
        #expect(producers == 0, "the old server still answers on port \(port)")
    }
}

final class TerminationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

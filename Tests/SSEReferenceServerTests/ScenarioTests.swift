import Foundation
import ServerSentEvents
import Testing

@testable import SSEReferenceServer

/// Every scenario of the manifest is served and an EventSource reading it (the core parser) sees the declared
/// dispatches, connection after connection.
@Suite struct ScenarioTests {
    static let manifest = ScenarioManifest.bundled

    @Test("the server's copy of the manifest is fixtures/scenarios/manifest.json")
    func bundledCopyMatchesFixture() throws {
        let fixture = String(decoding: try Fixtures.bytes("scenarios/manifest.json"), as: UTF8.self)
        #expect(ScenarioManifest.bundledJSON + "\n" == fixture, "run scripts/embed-scenarios")
        #expect(try ScenarioManifest(parsing: fixture) == Self.manifest)
    }

    @Test("the manifest has the scenarios the checks need")
    func requiredScenarios() throws {
        let names = Set(Self.manifest.scenarios.map(\.name))
        for name in [
            "sample28-sse", "typed-mixed", "multiline", "ids", "retry", "resume", "stop", "error", "never", "unicode",
            "slow", "inject",
        ] {
            #expect(names.contains(name), "missing \(name)")
        }
        #expect(Self.manifest.scenario(named: "sample28-sse")?.path == "sse")
        #expect(Self.manifest.scenario(named: "sample28-sse")?.intervalMs == 1000)
    }

    @Test("a manifest with a mistake is refused with its place")
    func invalidManifest() throws {
        let broken = ScenarioManifest.bundledJSON.replacingOccurrences(
            of: "\"onReconnect\": \"resume\"",
            with: "\"onReconnect\": \"sometimes\""
        )
        #expect(throws: ScenarioManifestError.self) { try ScenarioManifest(parsing: broken) }
        do {
            _ = try ScenarioManifest(parsing: broken)
        } catch {
            #expect(error.message.contains("scenarios[5].onReconnect"))
        }
    }

    @Test("served and dispatched as declared", arguments: ScenarioManifest.bundled.scenarios.map(\.name))
    func scenario(named name: String) async throws {
        let scenario = try #require(Self.manifest.scenario(named: name))
        try await withServer { server in
            // Fast pacing, except the slow producer whose pacing is what it shows.
            let interval = name == "slow" ? 100 : 1
            for (index, expected) in scenario.connections.enumerated() {
                var headers: [(String, String)] = []
                if let id = expected.lastEventId { headers.append(("Last-Event-ID", id)) }
                let request = RawHTTPClient.request("/\(scenario.path)?interval=\(interval)", headers: headers)
                let wanted = expected.dispatches.count
                let bytes = try await RawHTTPClient.exchange(port: server.port, request: request) { bytes in
                    expected.end == .never
                        && dispatches(of: (try? HTTPWire(parsing: bytes))?.body ?? []).events.count >= wanted
                }
                let wire = try HTTPWire(parsing: bytes)
                let context = "connection \(index) of \(name)"
                #expect(wire.status == expected.status, "\(context)")
                guard expected.status == 200 else {
                    #expect(wire.body.isEmpty, "\(context)")
                    continue
                }
                #expect(wire.header("Content-Type") == "text/event-stream", "\(context)")
                let seen = dispatches(of: wire.body)
                switch expected.end {
                case .never:
                    #expect(Array(seen.events.prefix(wanted)) == expected.dispatches, "\(context)")
                case .complete, .error:
                    #expect(wire.complete, "\(context): the response must end with its terminator")
                    #expect(seen.events == expected.dispatches, "\(context)")
                case .none:
                    Issue.record("\(context): a 200 that declares no stream")
                }
                if let time = expected.reconnectionTime {
                    #expect(seen.reconnectionTime == time, "\(context)")
                }
                // Every event ends with its blank line (a never-ending stream is cut wherever we stopped reading, maybe
                // inside the next event, so only its start is judged).
                #expect(wire.bodyText.hasPrefix("\n"), "\(context)")
                if expected.end != .never {
                    #expect(wire.body.count == 1 || wire.bodyText.hasSuffix("\n\n"), "\(context)")
                }
                // A first connection's body is the Nest encoding of the declared events (nest/wire-identical).
                if expected.lastEventId == nil, expected.end != .never {
                    var encoder = NestEventEncoder()
                    var body = NestEventEncoder.preamble
                    let events = scenario.perConnection.map { Array(scenario.events.prefix($0)) } ?? scenario.events
                    for event in events { body += encoder.encode(event) }
                    if case .error(let message) = scenario.end { body += encoder.encodeError(message: message) }
                    #expect(wire.body == body, "\(context)")
                }
            }
        }
    }

    @Test("the slow producer's events arrive one interval apart, not in a burst")
    func slowPacing() async throws {
        try await withServer { server in
            let arrivals = ArrivalLog()
            let start = ContinuousClock.now
            _ = try await RawHTTPClient.exchange(
                port: server.port,
                request: RawHTTPClient.request("/scenarios/slow?interval=150")
            ) { bytes in
                arrivals.note(
                    blankLineCount((try? HTTPWire(parsing: bytes))?.body ?? []),
                    at: ContinuousClock.now - start
                )
                return false
            }
            let times = arrivals.firstArrivals
            try #require(times.count == 3)
            // Paced production: the third tick is produced two intervals (300 ms) after the first, and load can
            // only delay an arrival, never advance it, so the last event cannot arrive sooner than that.
            #expect(times[2] >= .milliseconds(250), "the third event arrived before it could have been produced")
            // Spread out: three events span two intervals; a burst would span a millisecond or two. On a loaded
            // machine a stream that falls behind writes the ticks it owes in one buffer (by design), so the span is
            // only asserted when the first event itself came on time.
            if times[0] < .milliseconds(250) {
                #expect(times[2] - times[0] >= .milliseconds(150), "first at \(times[0]), last at \(times[2])")
            }
        }
    }

    @Test("a reconnection to the resume scenario with an unknown id starts again")
    func resumeUnknownId() async throws {
        try await withServer { server in
            let bytes = try await RawHTTPClient.exchange(
                port: server.port,
                request: RawHTTPClient.request("/scenarios/resume?interval=0", headers: [("Last-Event-ID", "nope")])
            )
            #expect(
                dispatches(of: try HTTPWire(parsing: bytes).body).events.map(\.data) == [
                    "event 1", "event 2", "event 3",
                ]
            )
        }
    }
}

/// When the n-th event first arrived.
final class ArrivalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [Duration] = []

    func note(_ count: Int, at time: Duration) {
        lock.lock()
        defer { lock.unlock() }
        while times.count < count { times.append(time) }
    }

    var firstArrivals: [Duration] {
        lock.lock()
        defer { lock.unlock() }
        return times
    }
}

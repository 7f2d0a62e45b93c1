import SSEClient
import SSEScenarios
import Testing

@testable import SSEConformance

/// The reconnect/* scenario checks: what a reconnection is told and given.
extension ScenarioCheckTests {
    /// Changes the retry scenario's reconnection (its second connection).
    static func retryReconnection(_ change: @escaping (inout Exchange) -> Void) -> FakeProbes {
        Self.probes(
            breaking: Scenario.Name.retry,
            adjust: { connection, exchange in
                if connection == 1 { change(&exchange) }
            }
        )
    }

    @Test("reconnect/retry-honored: a retry line before the end, served after the delay")
    func retryHonored() async {
        let result = await judgeScenarios("reconnect/retry-honored", .scenarios())
        #expect(result.status == .pass)
        // The preamble, then `id: 1` (6 bytes): the retry line starts at byte 7.
        #expect(
            result.evidence.summary
                == "retry: 1500 at byte 7; reconnected 1500 ms after the end (declared 1500 ms) and was served"
        )
    }

    @Test("reconnect/retry-honored: a retry written in seconds fails")
    func retryInSeconds() async {
        let probes = Self.probes(
            breaking: Scenario.Name.retry,
            rewrite: Self.event(1, "id: 1\nretry: 2\ndata: reconnect in 1500 ms\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("reconnect/retry-honored", probes),
            expected: "a retry: 1500 line before the response ends",
            actual: "reconnection time 2"
        )
    }

    @Test("reconnect/retry-honored: a retry that is not digits fails")
    func retryNotDigits() async {
        let probes = Self.probes(
            breaking: Scenario.Name.retry,
            rewrite: Self.event(1, "id: 1\nretry: 1.5s\ndata: reconnect in 1500 ms\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("reconnect/retry-honored", probes),
            expected: "a retry: 1500 line before the response ends",
            actual: #"retry "1.5s" (not digits) at byte 7"#
        )
    }

    @Test("reconnect/retry-honored: no retry line fails")
    func retryMissing() async {
        let probes = Self.probes(
            breaking: Scenario.Name.retry,
            rewrite: Self.event(1, "id: 1\ndata: reconnect in 1500 ms\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("reconnect/retry-honored", probes),
            expected: "a retry: 1500 line before the response ends",
            actual: "reconnection time never set"
        )
    }

    @Test("reconnect/retry-honored: the reconnection after the delay refused fails")
    func retryReconnectionRefused() async {
        let probes = Self.retryReconnection { exchange in
            exchange.status = 503
            exchange.statusLine = "HTTP/1.1 503 Service Unavailable"
            exchange.responseHeaders = [HTTPHeaderField(name: "Content-Type", value: "text/plain")]
        }
        Self.expectFailure(
            await judgeScenarios("reconnect/retry-honored", probes),
            expected: "the reconnection made 1500 ms after the end served with a stream",
            actual: "HTTP/1.1 503 Service Unavailable"
        )
    }

    @Test("reconnect/retry-honored: a reconnection within the grace of the declared delay is judged")
    func retryWithinGrace() async {
        // The first connection ends 20 ms after its start (one event, 20 ms interval); the grace is 250 ms.
        let probes = Self.retryReconnection { $0.startedAt = 0.02 + 1.3 }
        let result = await judgeScenarios("reconnect/retry-honored", probes)
        #expect(result.status == .pass)
        #expect(
            result.evidence.summary
                == "retry: 1500 at byte 7; reconnected 1300 ms after the end (declared 1500 ms) and was served"
        )
    }

    @Test("reconnect/retry-honored: a reconnection sooner than the delay is a harness error, not a verdict")
    func retryTooSoon() async {
        let reason =
            "the harness reconnected 100 ms after the end, sooner than the declared 1500 ms (grace 250 ms): the retry could not be judged"
        let served = await judgeScenarios("reconnect/retry-honored", Self.retryReconnection { $0.startedAt = 0.12 })
        #expect(served.status == .error)
        #expect(served.message == reason)
        // Refused that early, it is still no failure: a server may refuse reconnections that come too soon.
        let refused = await judgeScenarios(
            "reconnect/retry-honored",
            Self.retryReconnection { exchange in
                exchange.startedAt = 0.12
                exchange.status = 429
            }
        )
        #expect(refused.status == .error)
        #expect(refused.message == reason)
    }

    /// The resume scenario's second connection served from the start again (Last-Event-ID ignored).
    static let replayed = Self.probes(breaking: Scenario.Name.resume) { connection, chunks in
        guard connection == 1 else { return }
        chunks =
            [(0, [0x0A])] + (1...3).map { (Double($0) * 0.02, SyntheticRun.bytes("id: \($0)\ndata: event \($0)\n\n")) }
    }

    @Test("reconnect/resumes-after-id: each reconnection continues after its Last-Event-ID")
    func resumes() async {
        let result = await judgeScenarios("reconnect/resumes-after-id", .scenarios())
        #expect(result.status == .pass)
        #expect(
            result.evidence.summary
                == "after Last-Event-ID 3, 6 the resume scenario continued after each id, then answered 204"
        )
    }

    @Test("reconnect/resumes-after-id: a reconnection that replays from the start warns")
    func replays() async {
        Self.expectFailure(
            await judgeScenarios("reconnect/resumes-after-id", Self.replayed),
            .warn,
            expected:
                #"scenario resume, connection 2: 3 dispatch(es) as declared; event 1 is type "message", data "event 4", lastEventId "4""#,
            actual: #"3 dispatch(es); event 1 is type "message", data "event 1", lastEventId "1""#
        )
        // The resume scenario's reconnections are this SHOULD's alone, not dispatch/expected-sequence's MUST.
        #expect(await judgeScenarios("dispatch/expected-sequence", Self.replayed).status == .pass)
    }

    @Test("reconnect/resumes-after-id: nothing left after the last id is answered 204, not 200")
    func nothingLeftServed() async {
        let probes = Self.probes(
            breaking: Scenario.Name.resume,
            adjust: { connection, exchange in
                if connection == 2 { exchange.status = 200 }
            }
        )
        Self.expectFailure(
            await judgeScenarios("reconnect/resumes-after-id", probes),
            .warn,
            expected: "scenario resume, connection 3: status 204",
            actual: "status 200"
        )
    }
}

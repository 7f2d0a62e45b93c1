import SSEScenarios
import Testing

@testable import SSEConformance

/// The close/* scenario checks: the 204 stop signal, and a producer released when its client leaves.
extension ScenarioCheckTests {
    @Test("close/no-content-stops: the stop scenario's reconnection answered 204 with no body passes")
    func stopAnswered204() async {
        #expect(await judgeScenarios("close/no-content-stops", .scenarios()).status == .pass)
    }

    @Test("close/no-content-stops: the reconnection served a stream again fails")
    func stopIgnored() async {
        let probes = Self.probes(
            breaking: Scenario.Name.stop,
            rewrite: { connection, chunks in
                if connection == 1 {
                    chunks = [(0, [0x0A]), (0.02, SyntheticRun.bytes("id: s1\ndata: only once\n\n"))]
                }
            },
            adjust: { connection, exchange in
                guard connection == 1 else { return }
                exchange.status = 200
                exchange.statusLine = "HTTP/1.1 200 OK"
                exchange.responseHeaders = SyntheticRun.nestHeaders
            }
        )
        Self.expectFailure(
            await judgeScenarios("close/no-content-stops", probes),
            expected: "the reconnection (Last-Event-ID: s2) answered 204 No Content",
            actual: "HTTP/1.1 200 OK: the client is not told to stop"
        )
    }

    @Test("close/no-content-stops: a 204 with a body fails")
    func stopWithBody() async {
        let probes = Self.probes(breaking: Scenario.Name.stop) { connection, chunks in
            if connection == 1 { chunks = [(0, SyntheticRun.bytes("data: x\n\n"))] }
        }
        Self.expectFailure(
            await judgeScenarios("close/no-content-stops", probes),
            expected: "204 with no body",
            actual: "204 with 9 body byte(s)"
        )
    }

    static func abort(releasedAfter: Double?, stillRunningAt: Double? = nil) -> FakeProbes {
        var probes = FakeProbes.scenarios()
        probes.abort = AbortReleaseProbe(
            abortedAt: 2,
            releasedAfter: releasedAfter,
            stillRunningAt: stillRunningAt,
            statsLog: ["+0 ms: producers 1/0"]
        )
        return probes
    }

    @Test("close/client-abort-releases: the producer stopped 50 ms after the abort passes")
    func abortReleased() async {
        let result = await judgeScenarios("close/client-abort-releases", Self.abort(releasedAfter: 0.05))
        #expect(result.status == .pass)
        #expect(result.evidence.summary == "producer stopped within 50 ms of the abort")
    }

    @Test("close/client-abort-releases: a producer still running after 1 s, or stopped only after it, fails")
    func abortNotReleased() async {
        Self.expectFailure(
            await judgeScenarios(
                "close/client-abort-releases",
                Self.abort(releasedAfter: nil, stillRunningAt: 2.9)
            ),
            expected: "the scenario's producer reported stopped within 1000 ms of the abort",
            actual: "still running after the abort: the server keeps producing for a client that left"
        )
        let late = await judgeScenarios(
            "close/client-abort-releases",
            Self.abort(releasedAfter: 1.5, stillRunningAt: 1.2)
        )
        Self.expectFailure(
            late,
            expected: "the scenario's producer reported stopped within 1000 ms of the abort",
            actual: "stopped 1500 ms after the abort"
        )
        #expect(late.evidence.summary == "producer still running 1200 ms after the abort, stopped by 1500 ms")
    }

    /// A "stopped" answer after 1 s with no "running" answer past 1 s leaves the stop anywhere across the bound:
    /// the stats endpoint was too slow to tell, which is no verdict on the target.
    @Test(
        "close/client-abort-releases: stats answers too slow to place the stop across 1 s is an error",
        arguments: [(Double?.some(1.3), Double?.some(0.6)), (1.3, nil), (nil, 0.5)]
    )
    func abortUndecided(_ releasedAfter: Double?, _ stillRunningAt: Double?) async {
        let result = await judgeScenarios(
            "close/client-abort-releases",
            Self.abort(releasedAfter: releasedAfter, stillRunningAt: stillRunningAt)
        )
        #expect(result.status == .error)
        #expect(result.message.contains("the stats endpoint answered too slowly to judge"), "\(result.message)")
    }
}

import Testing

@testable import SSEConformance

/// `--timeout` is each check's own time, counted after the time the shared passive probes may listen: a long
/// `--listen` (which a buffering proxy needs) must never turn into timeouts, and a probe that hangs past both
/// still ends as an error.
@Suite struct RunnerTimeoutTests {
    /// The fake probes, with a primary that takes its time, as a long listening window does.
    struct SlowPrimary: Probes {
        var delay: Duration
        var probes = FakeProbes(primaryExchange: Wire.goodPrimary, reconnectionExchange: Wire.goodPrimary)

        func primary() async throws -> Exchange {
            try await Task.sleep(for: delay)
            return Wire.goodPrimary
        }
        func reconnection() async throws -> Exchange { try await probes.reconnection() }
        func concurrentClients() async throws -> [Exchange] { try await probes.concurrentClients() }
        func scenarioRuns() async throws -> [ScenarioRun] { try await probes.scenarioRuns() }
        func abortRelease() async throws -> AbortReleaseProbe { try await probes.abortRelease() }
    }

    static func run(_ probes: SlowPrimary, checkTimeout: Double, listen: Double) async -> CheckResult {
        var configuration = RunConfiguration(target: "http://127.0.0.1:9/sse")
        configuration.checkTimeout = checkTimeout
        configuration.listen = listen
        let runner = Runner(configuration: configuration, checks: [Catalogue.check("framing/utf8")!])
        return await runner.run(probes: probes)[0]
    }

    @Test func theProbeWindowIsThreeListensAndTheLongestReconnectionWait() {
        var configuration = RunConfiguration(target: "http://127.0.0.1:9/sse")
        configuration.listen = 30
        #expect(configuration.probeWindow == 95)
        configuration.target = nil
        #expect(configuration.probeWindow == 0)
    }

    @Test func aCheckWaitingOnAProbeWithinItsListeningWindowIsJudged() async {
        // The probe takes 1 s, four times the check's own 0.25 s: within the window (3 x 0.5 + 5 s), so judged.
        let result = await Self.run(SlowPrimary(delay: .seconds(1)), checkTimeout: 0.25, listen: 0.5)
        #expect(result.status == .pass, "\(result.status): \(result.message)")
    }

    @Test func aProbeHangingPastTheWindowAndTheTimeoutIsAnErrorSayingSo() async {
        // Window 3 x 0.1 + 5 = 5.3 s, plus the check's 0.2 s: a probe that hangs for a minute ends as an error then.
        let clock = ContinuousClock()
        let started = clock.now
        let result = await Self.run(SlowPrimary(delay: .seconds(60)), checkTimeout: 0.2, listen: 0.1)
        #expect(result.status == .error)
        #expect(
            result.message
                == "timed out after 5.5 s: the check timeout (--timeout, counted after the probes' 5.3 s of listening) was reached"
        )
        #expect(clock.now - started < .seconds(30))
    }
}

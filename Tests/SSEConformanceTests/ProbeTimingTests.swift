import Testing

@testable import SSEConformance

/// A check's time is the time its connections took (issue 14: JUnit times were mostly 0.000, since the probes
/// are shared and only the first check to ask waited for them).
struct ProbeTimingTests {
    @Test func everyCheckOnASharedProbeTakesItsTime() async {
        var primary = Wire.stream([(0.1, "id: 1\ndata: a\n\n")], endTime: 2.0)
        primary.startedAt = 1.0
        let probes = FakeProbes(primaryExchange: primary)
        let configuration = RunConfiguration(target: "http://127.0.0.1:1/sse", scenariosBase: nil)
        let checks = ["http/status-ok", "http/content-type", "framing/utf8"].compactMap(Catalogue.check)
        #expect(checks.count == 3)
        let clock = ContinuousClock()
        let started = clock.now
        let results = await Runner(configuration: configuration, checks: checks).run(probes: probes)
        let wall = clock.now - started
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        for result in results {
            // The probe's 2 s, not the check's own instant; more only when the test process itself stalled that
            // long (a check's time is its own when that is longer), as at the start of a full parallel run.
            #expect(
                result.duration >= 2.0 && (result.duration < 2.5 || result.duration <= wallSeconds + 0.01),
                "\(result.id): \(result.duration) (run took \(wallSeconds) s)"
            )
        }
    }

    @Test func overlappingConnectionsCountOnce() {
        let timing = ProbeTiming(FakeProbes())
        var exchanges: [Exchange] = []
        for (start, length) in [(0.0, 2.0), (1.0, 2.0), (5.0, 1.0)] {
            var exchange = Wire.stream([], endTime: length)
            exchange.startedAt = start
            exchanges.append(exchange)
        }
        timing.note(exchanges)
        #expect(abs(timing.seconds - 4.0) < 1e-9)
    }
}

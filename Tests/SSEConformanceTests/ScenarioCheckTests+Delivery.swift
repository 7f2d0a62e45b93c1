import SSEScenarios
import Testing

@testable import SSEConformance

/// delivery/unbuffered's scenario half: the slow scenario's events (1000 ms apart) arrive as produced.
extension ScenarioCheckTests {
    @Test("delivery/unbuffered: the slow scenario's events arrive a second apart")
    func slowPaced() async {
        let result = await judgeScenarios("delivery/unbuffered", .scenarios())
        #expect(result.status == .pass)
        #expect(result.evidence.summary == "the slow scenario followed its pacing")
    }

    @Test("delivery/unbuffered: the slow scenario's events held back and sent together fail")
    func slowBuffered() async {
        let probes = Self.probes(breaking: Scenario.Name.slow) { _, chunks in
            for k in 1..<chunks.count { chunks[k].time = 3 }
        }
        Self.expectFailure(
            await judgeScenarios("delivery/unbuffered", probes),
            expected: "the slow scenario's 3 events about 1000 ms apart (2000 ms from first to last)",
            actual: "all within 0 ms, the first after 3000 ms: held back and sent together"
        )
    }

    /// Measured on a loaded machine against the reference server, whose connection writes the ticks it owes in one
    /// buffer when it falls behind: +1287, +1287, +2199 ms. That is a late producer, not a buffer.
    @Test("delivery/unbuffered: two neighbours arriving together after a hiccup still follow the pacing")
    func slowHiccup() async {
        let probes = Self.probes(breaking: Scenario.Name.slow) { _, chunks in
            let times = [1.287, 1.287, 2.199]
            for k in 1..<chunks.count { chunks[k].time = times[min(k - 1, 2)] }
        }
        #expect(await judgeScenarios("delivery/unbuffered", probes).status == .pass)
    }

    @Test("delivery/unbuffered: a slow scenario with one event cannot be judged")
    func slowTooShort() async {
        let probes = Self.probes(breaking: Scenario.Name.slow) { _, chunks in chunks.removeLast(2) }
        let result = await judgeScenarios("delivery/unbuffered", probes)
        #expect(result.status == .error)
        #expect(result.message == "the slow scenario dispatched 1 event(s); its pacing cannot be judged")
    }
}

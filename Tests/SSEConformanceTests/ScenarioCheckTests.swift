import SSEScenarios
import ServerSentEvents
import Testing

@testable import SSEConformance

/// Each scenario check against synthetic scenario runs (SyntheticRun): the conformant runs pass; a run broken the
/// way a real server breaks it fails with the check's exact expected and actual. The expected values are the
/// manifest's (fixtures/scenarios/manifest.json); one file per group: ScenarioCheckTests+Reconnect, +Close,
/// +Delivery, +Nest.
struct ScenarioCheckTests {
    typealias Chunk = SyntheticRun.Chunk

    /// The conformant runs with `name` replaced by a run built with `rewrite` / `adjust`.
    static func probes(
        breaking name: String,
        rewrite: (Int, inout [Chunk]) -> Void = { _, _ in },
        adjust: (Int, inout Exchange) -> Void = { _, _ in }
    ) -> FakeProbes {
        .scenarios(SyntheticRun.all(replacing: name, with: SyntheticRun.make(name, rewrite: rewrite, adjust: adjust)))
    }

    /// Replaces event `k`'s chunk on the first connection with `text`.
    static func event(_ k: Int, _ text: String) -> (Int, inout [Chunk]) -> Void {
        { connection, chunks in if connection == 0 { chunks[k].bytes = SyntheticRun.bytes(text) } }
    }

    static func expectFailure(
        _ result: CheckResult,
        _ status: OutcomeStatus = .fail,
        expected: String,
        actual: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == status, "\(result.message)", sourceLocation: sourceLocation)
        #expect(result.expected == expected, sourceLocation: sourceLocation)
        #expect(result.actual == actual, sourceLocation: sourceLocation)
    }

    @Test("Scenario.Name: one constant per manifest scenario, in the manifest's order")
    func namesAreTheManifests() {
        #expect(Scenario.Name.all == ScenarioManifest.bundled.scenarios.map(\.name))
    }

    /// Every check a scenarios-only run selects (http/cors is opt-in: it needs --origin).
    static let scenarioCheckIds = Catalogue.select(profile: .nestjs, modes: [.scenarios]).map(\.id).filter {
        $0 != "http/cors"
    }

    @Test(
        "each check of a scenarios-only run: the conformant synthetic runs pass outright",
        arguments: scenarioCheckIds
    )
    func conformantRunsPass(_ id: String) async {
        let result = await judgeScenarios(id, .scenarios())
        // An INFO check observes, it never passes (delivery/heartbeat).
        let wanted: OutcomeStatus = Catalogue.check(id)?.level == .info ? .info : .pass
        #expect(
            result.status == wanted,
            "\(id): \(result.status) \(result.expected) / \(result.actual) \(result.message)"
        )
    }

    // MARK: framing

    @Test("framing/no-field-injection: CR/LF stripped from type, id and retry passes")
    func injectionStripped() async {
        let result = await judgeScenarios("framing/no-field-injection", .scenarios())
        #expect(result.status == .pass)
        #expect(result.evidence.summary == "CR/LF in type, id and retry stayed inside their fields")
    }

    @Test("framing/no-field-injection: a type written raw injects a data line")
    func injectedLine() async {
        // Nest 11.0.5 wrote the type "evil\ndata: injected" as is: the preamble, then `event: evil` (12 bytes).
        let probes = Self.probes(
            breaking: Scenario.Name.inject,
            rewrite: Self.event(1, "event: evil\ndata: injected\nid: x\ny\ndata: payload\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("framing/no-field-injection", probes),
            expected: "CR and LF removed from type, id and retry (no extra lines)",
            actual: #"the app's value became a line of its own: "data" = "injected" at byte 13"#
        )
    }

    @Test("framing/no-field-injection: type and id cut at their line break")
    func typeAndIdCut() async {
        let probes = Self.probes(
            breaking: Scenario.Name.inject,
            rewrite: Self.event(1, "event: evil\nid: x\ndata: payload\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("framing/no-field-injection", probes),
            expected: #"event 1: type "evildata: injected", id "xy" (CR/LF removed, the value kept whole)"#,
            actual: #"type "evil", id "x": the value was cut at its line break"#
        )
    }

    @Test("framing/no-field-injection: retry cut at its line break")
    func retryCut() async {
        let probes = Self.probes(
            breaking: Scenario.Name.inject,
            rewrite: Self.event(2, "event: ab\nid: pq\nretry: 10\ndata: payload2\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("framing/no-field-injection", probes),
            expected: #"retry "10\n20" written as retry: 1020"#,
            actual: "reconnection time 10: the retry value was cut at its line break"
        )
    }

    // MARK: dispatch

    @Test("dispatch/message-fallback: an untyped event served with a type fails")
    func untypedEventTyped() async {
        let probes = Self.probes(
            breaking: Scenario.Name.typedMixed,
            rewrite: Self.event(1, "event: update\nid: 1\ndata: plain one\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("dispatch/message-fallback", probes),
            expected:
                #"scenario typed-mixed, connection 1, event 1: type "message", data "plain one", lastEventId "1""#,
            actual: #"dispatched as type "update" (type "update", data "plain one", lastEventId "1")"#
        )
    }

    @Test("dispatch/event-type: a typed event served without its type fails")
    func typedEventUntyped() async {
        let probes = Self.probes(
            breaking: Scenario.Name.typedMixed,
            rewrite: Self.event(2, "id: 2\ndata: typed one\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("dispatch/event-type", probes),
            expected: #"scenario typed-mixed, connection 1, event 2: type "update", data "typed one", lastEventId "2""#,
            actual: #"dispatched as type "message" (type "message", data "typed one", lastEventId "2")"#
        )
    }

    @Test("dispatch/multiline-data: data written with a raw LF loses its second line")
    func multilineCut() async {
        // "line1\nline2" written on one data: line: "line2" becomes a line of its own, an unknown field.
        let probes = Self.probes(
            breaking: Scenario.Name.multiline,
            rewrite: Self.event(1, "id: 1\ndata: line1\nline2\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("dispatch/multiline-data", probes),
            expected:
                #"scenario multiline, connection 1, event 1: type "message", data "line1\nline2", lastEventId "1""#,
            actual: #"data "line1" (type "message", data "line1", lastEventId "1")"#
        )
        // Multi-line data is this check's aspect alone: dispatch/message-fallback does not report it again.
        #expect(await judgeScenarios("dispatch/message-fallback", probes).status == .pass)
    }

    @Test("dispatch/last-event-id: an explicit id replaced by the counter fails")
    func explicitIdLost() async {
        let probes = Self.probes(breaking: Scenario.Name.ids, rewrite: Self.event(2, "id: 2\ndata: b\n\n"))
        Self.expectFailure(
            await judgeScenarios("dispatch/last-event-id", probes),
            expected: #"scenario ids, connection 1, event 2: type "message", data "b", lastEventId "user-7""#,
            actual: #"lastEventId "2" (type "message", data "b", lastEventId "2")"#
        )
    }

    @Test("dispatch/expected-sequence: a missing last event fails")
    func sequenceShort() async {
        let probes = Self.probes(breaking: Scenario.Name.ids) { _, chunks in chunks.removeLast() }
        Self.expectFailure(
            await judgeScenarios("dispatch/expected-sequence", probes),
            expected: "scenario ids, connection 1: 7 dispatch(es) as declared",
            actual: #"6 dispatch(es): 1 lost: event 7 (data "g"): not in the stream"#
        )
    }

    @Test("dispatch/expected-sequence: a response that breaks after its events fails")
    func sequenceBrokenEnd() async {
        let probes = Self.probes(
            breaking: Scenario.Name.typedMixed,
            adjust: { _, exchange in
                exchange.end = .broken("connection reset by peer")
            }
        )
        Self.expectFailure(
            await judgeScenarios("dispatch/expected-sequence", probes),
            expected: "scenario typed-mixed, connection 1: the response ends cleanly after its events",
            actual: "the connection broke: connection reset by peer"
        )
    }

    @Test("dispatch/expected-sequence: a first connection answered 500 fails")
    func sequenceStatus() async {
        let probes = Self.probes(
            breaking: Scenario.Name.stop,
            adjust: { connection, exchange in
                if connection == 0 { exchange.status = 500 }
            }
        )
        Self.expectFailure(
            await judgeScenarios("dispatch/expected-sequence", probes),
            expected: "scenario stop, connection 1: status 200",
            actual: "status 500"
        )
    }
}

import SSEScenarios
import ServerSentEvents
import Testing

@testable import SSEConformance

/// The dispatch checks line declared and dispatched events up by alignment, not position: a lost event is
/// reported once, by dispatch/expected-sequence, with what was written for it and why; the per-aspect checks
/// judge only the events that match up; a check reports every scenario where it broke. And the whole manifest
/// served as NestJS 11.1 writes it (NestModel): only the values scenario's losses fail.
extension ScenarioCheckTests {
    /// Every scenario served conformantly, except those in `broken`.
    static func probes(_ broken: [String: ScenarioRun]) -> FakeProbes {
        .scenarios(SyntheticRun.manifest.scenarios.map { broken[$0.name] ?? SyntheticRun.make($0.name) })
    }

    /// typed-mixed with its second event (`event: update`, `data: typed one`) never written.
    static let typedMixedLosesEvent2 = SyntheticRun.make(Scenario.Name.typedMixed) { connection, chunks in
        if connection == 0 { chunks.remove(at: 2) }
    }

    /// ids without its last event.
    static let idsLosesLastEvent = SyntheticRun.make(Scenario.Name.ids) { _, chunks in chunks.removeLast() }

    static let valuesLostAsNest =
        #"0 dispatch(es): 9 lost: events 1-4 (data "", "0", "false", "null"): written as "id: 1\n\n", "id: 2\n\n", "id: 3\n\n", "id: 4\n\n" with no data line: NestJS writes no data line for falsy data: send a non-empty string or an object; event 5 (data "42"): not in the stream: NestJS ends the stream when data is a number or boolean: send a string or an object; events 6-9 (data "true", "[1,2]", "{\"nested\":\"x\\ny\"}", "1.5"): not in the stream: the stream had ended at event 5"#

    @Test(
        "dispatch/expected-sequence: the values scenario as NestJS writes it: each lost event once, its bytes, its cause"
    )
    func valuesAsNestWritesThem() async {
        let probes = Self.probes([Scenario.Name.values: SyntheticRun.make(Scenario.Name.values, divergences: [])])
        Self.expectFailure(
            await judgeScenarios("dispatch/expected-sequence", probes),
            expected: "scenario values, connection 1: 9 dispatch(es) as declared",
            actual: Self.valuesLostAsNest
        )
        // The loss is expected-sequence's alone: the per-aspect checks judge the events that were dispatched.
        for id in [
            "dispatch/message-fallback", "dispatch/last-event-id", "dispatch/multiline-data", "dispatch/event-type",
        ] {
            let result = await judgeScenarios(id, probes)
            #expect(result.status == .pass, "\(id): \(result.expected) / \(result.actual)")
        }
        let fallback = await judgeScenarios("dispatch/message-fallback", probes)
        #expect(
            fallback.evidence.summary
                == "untyped events reach message listeners: 48 declared dispatch(es) compared in 13 scenario(s); 9 lost event(s) left to dispatch/expected-sequence"
        )
    }

    @Test("dispatch/expected-sequence: a lost event in the middle is one loss; the events after it still match up")
    func lostInTheMiddle() async {
        let probes = Self.probes([Scenario.Name.typedMixed: Self.typedMixedLosesEvent2])
        Self.expectFailure(
            await judgeScenarios("dispatch/expected-sequence", probes),
            expected: "scenario typed-mixed, connection 1: 6 dispatch(es) as declared",
            actual: #"5 dispatch(es): 1 lost: event 2 (data "typed one"): not in the stream"#
        )
        // By position, events 3 to 6 would all look wrong; lined up, they are as declared.
        for id in ["dispatch/message-fallback", "dispatch/event-type", "dispatch/last-event-id"] {
            let result = await judgeScenarios(id, probes)
            #expect(result.status == .pass, "\(id): \(result.expected) / \(result.actual)")
        }
    }

    @Test("dispatch/expected-sequence: an extra event is one extra; the events around it still match up")
    func extraInTheMiddle() async {
        // A `data: [DONE]` without an id after ids' second event: it carries the id before it, user-7.
        let broken = SyntheticRun.make(Scenario.Name.ids) { connection, chunks in
            if connection == 0 { chunks.insert((chunks[2].time, SyntheticRun.bytes("data: [DONE]\n\n")), at: 3) }
        }
        let probes = Self.probes([Scenario.Name.ids: broken])
        Self.expectFailure(
            await judgeScenarios("dispatch/expected-sequence", probes),
            expected: "scenario ids, connection 1: 7 dispatch(es) as declared",
            actual:
                #"8 dispatch(es): 1 extra: event 3 (type "message", data "[DONE]", lastEventId "user-7") not declared"#
        )
        for id in ["dispatch/message-fallback", "dispatch/last-event-id"] {
            let result = await judgeScenarios(id, probes)
            #expect(result.status == .pass, "\(id): \(result.expected) / \(result.actual)")
        }
    }

    @Test("dispatch/expected-sequence: every broken scenario is reported, not only the first")
    func severalBrokenSequences() async {
        let probes = Self.probes([
            Scenario.Name.typedMixed: Self.typedMixedLosesEvent2, Scenario.Name.ids: Self.idsLosesLastEvent,
        ])
        Self.expectFailure(
            await judgeScenarios("dispatch/expected-sequence", probes),
            expected:
                "scenario typed-mixed, connection 1: 6 dispatch(es) as declared; scenario ids, connection 1: 7 dispatch(es) as declared",
            actual:
                #"2 scenario connection(s) broke: [scenario typed-mixed, connection 1] 5 dispatch(es): 1 lost: event 2 (data "typed one"): not in the stream; [scenario ids, connection 1] 6 dispatch(es): 1 lost: event 7 (data "g"): not in the stream"#
        )
    }

    @Test("dispatch/message-fallback: every broken scenario is reported, not only the first")
    func severalBrokenFallbacks() async {
        let probes = Self.probes([
            Scenario.Name.typedMixed: SyntheticRun.make(
                Scenario.Name.typedMixed,
                rewrite: Self.event(1, "event: update\nid: 1\ndata: plain one\n\n")
            ),
            Scenario.Name.unicode: SyntheticRun.make(
                Scenario.Name.unicode,
                rewrite: Self.event(1, "event: x\nid: 1\ndata: ünïcødé €\n\n")
            ),
        ])
        Self.expectFailure(
            await judgeScenarios("dispatch/message-fallback", probes),
            expected:
                #"scenario typed-mixed, connection 1, event 1: type "message", data "plain one", lastEventId "1"; scenario unicode, connection 1, event 1: type "message", data "ünïcødé €", lastEventId "1""#,
            actual:
                #"2 scenario connection(s) broke: [scenario typed-mixed, connection 1] dispatched as type "update" (type "update", data "plain one", lastEventId "1"); [scenario unicode, connection 1] dispatched as type "x" (type "x", data "ünïcødé €", lastEventId "1")"#
        )
    }

    @Test("dispatch/last-event-id: NestJS's counter for a numeric id 0 passes under nestjs, fails under spec")
    func nestIdsByProfile() async {
        let probes = Self.probes([Scenario.Name.ids: SyntheticRun.make(Scenario.Name.ids, divergences: [])])
        let nest = await judgeScenarios("dispatch/last-event-id", probes)
        #expect(nest.status == .pass, "\(nest.expected) / \(nest.actual)")
        #expect(await judgeScenarios("dispatch/expected-sequence", probes).status == .pass)
        let spec = await judgeScenarios("dispatch/last-event-id", probes) { $0.profile = .spec }
        Self.expectFailure(
            spec,
            expected: #"scenario ids, connection 1, event 4: type "message", data "d", lastEventId "0""#,
            actual:
                #"lastEventId "3" (type "message", data "d", lastEventId "3"); and 2 more event(s) on this connection"#
        )
    }

    @Test(
        "each check of a scenarios-only run: the manifest as NestJS 11.1 writes it passes, but dispatch/expected-sequence",
        arguments: scenarioCheckIds
    )
    func asNestWritesThem(_ id: String) async {
        let result = await judgeScenarios(id, .scenarios(SyntheticRun.allAsNestWritesThem))
        if id == "dispatch/expected-sequence" {
            Self.expectFailure(
                result,
                expected: "scenario values, connection 1: 9 dispatch(es) as declared",
                actual: Self.valuesLostAsNest
            )
        } else {
            // An INFO check observes, it never passes (delivery/heartbeat).
            #expect(
                result.status == (Catalogue.check(id)?.level == .info ? .info : .pass),
                "\(id): \(result.status) \(result.expected) / \(result.actual) \(result.message)"
            )
        }
        switch id {
        case "nest/wire-identical":
            #expect(result.evidence.summary == "13 scenario bodies byte-identical to Nest's encoding")
        case "nest/auto-ids":
            #expect(result.evidence.summary == "ids as Nest numbers them in 13 scenario(s)")
        default:
            break
        }
    }

    @Test("nest/wire-identical: a defect in a body NestJS would write is shown against NestJS's own bytes")
    func wireDiffersFromNest() async {
        let broken = SyntheticRun.make(Scenario.Name.values, divergences: []) { connection, chunks in
            if connection == 0 { chunks[1].bytes = SyntheticRun.bytes("id: 1\n\n: hi\n\n") }
        }
        Self.expectFailure(
            await judgeScenarios("nest/wire-identical", Self.probes([Scenario.Name.values: broken])),
            .warn,
            expected: #"scenario values: 29 bytes as Nest writes them; from byte 8: "id: 2\n\nid: 3\n\nid: 4\n\n""#,
            actual: #"35 bytes; from byte 8: ": hi\n\nid: 2\n\nid: 3\n\nid: 4\n\n""#
        )
    }

    @Test("nest/wire-identical: a defect in the reference server's form is shown against that form, named")
    func wireDiffersFromReferenceForm() async {
        let broken = SyntheticRun.make(Scenario.Name.ids, rewrite: Self.event(7, "id: 4\ndata: G\n\n"))
        Self.expectFailure(
            await judgeScenarios("nest/wire-identical", Self.probes([Scenario.Name.ids: broken])),
            .warn,
            expected:
                #"scenario ids: 112 bytes as Nest writes them (with the reference server's deliberate divergences: id 0 written); from byte 109: "g\n\n""#,
            actual: #"112 bytes; from byte 109: "G\n\n""#
        )
    }

    @Test("nest/wire-identical: every scenario whose body differs is reported")
    func wireSeveral() async {
        let heartbeat: (Int, inout [Chunk]) -> Void = { connection, chunks in
            if connection == 0 { chunks[1].bytes += SyntheticRun.bytes(": hi\n\n") }
        }
        let probes = Self.probes([
            Scenario.Name.typedMixed: SyntheticRun.make(Scenario.Name.typedMixed, rewrite: heartbeat),
            Scenario.Name.ids: SyntheticRun.make(Scenario.Name.ids, rewrite: heartbeat),
            Scenario.Name.error: SyntheticRun.make(Scenario.Name.error, rewrite: heartbeat),
            Scenario.Name.slow: SyntheticRun.make(Scenario.Name.slow, rewrite: heartbeat),
        ])
        let result = await judgeScenarios("nest/wire-identical", probes)
        #expect(result.status == .warn)
        #expect(result.actual.hasPrefix("4 scenario(s) broke: [scenario typed-mixed] "))
        #expect(result.actual.hasSuffix("; and 1 more: scenario slow"))
        #expect(
            result.evidence.summary.hasPrefix(
                "4 scenario(s) broke: scenario typed-mixed, scenario ids, scenario error, scenario slow; first: "
            )
        )
    }

    @Test("DispatchAlignment: lost, extra and differing events, and the free tail of an endless stream")
    func alignmentSteps() {
        func e(_ data: String, _ id: String, type: String = "message") -> ServerSentEvent {
            ServerSentEvent(type: type, data: data, lastEventId: id)
        }
        let declared = [e("a", "1"), e("b", "2"), e("c", "3"), e("d", "4")]
        let lost = DispatchAlignment(declared: declared, actual: [e("a", "1"), e("c", "3"), e("d", "4")])
        #expect(
            lost.steps == [
                .match(declared: 0, actual: 0, exact: true), .lost(declared: 1),
                .match(declared: 2, actual: 1, exact: true), .match(declared: 3, actual: 2, exact: true),
            ]
        )
        let extra = DispatchAlignment(
            declared: declared,
            actual: [e("a", "1"), e("x", "1"), e("b", "2"), e("c", "3"), e("d", "4")]
        )
        #expect(extra.extra == [1])
        #expect(extra.lost.isEmpty)
        let typed = DispatchAlignment(
            declared: declared,
            actual: [e("a", "1"), e("b", "2", type: "t"), e("c", "3"), e("d", "4")]
        )
        #expect(typed.differing.map(\.declared) == [1])
        #expect(typed.lost.isEmpty && typed.extra.isEmpty)
        // Nothing in common: not the same event.
        let unrelated = DispatchAlignment(declared: [e("a", "1")], actual: [e("z", "9", type: "t")])
        #expect(unrelated.steps == [.lost(declared: 0), .extra(actual: 0)])
        let endless = DispatchAlignment(declared: declared, actual: declared + [e("e", "5")], freeTail: true)
        #expect(endless.isExact)
        #expect(!DispatchAlignment(declared: declared, actual: declared + [e("e", "5")]).isExact)
    }
}

import SSEScenarios
import Testing

@testable import SSEConformance

/// The nest/* scenario checks: each scenario's first connection against NestJS 11's bytes for its events.
extension ScenarioCheckTests {
    /// The typed-mixed scenario as Nest 11 writes it (fixtures/nest/README.md): a single LF on open, then each
    /// event's `event:`, `id:` (the counter where none is given), `data:` lines and a blank line.
    static let typedMixedAsNestWritesIt = [
        "\n",
        "id: 1\ndata: plain one\n\n",
        "event: update\nid: 2\ndata: typed one\n\n",
        "id: 3\ndata: plain two\n\n",
        "event: update\nid: 4\ndata: {\"n\":2,\"ok\":true}\n\n",
        "event: ping\nid: 5\ndata: p\n\n",
        "id: 6\ndata: empty type is message\n\n",
    ]

    @Test("nest/wire-identical: every scenario's first body is Nest's bytes")
    func wireIdentical() async {
        let result = await judgeScenarios("nest/wire-identical", .scenarios())
        #expect(result.status == .pass)
        // The reference server's bodies: NestJS's bytes, except its deliberate divergences, named.
        #expect(
            result.evidence.summary
                == "13 scenario bodies byte-identical to Nest's encoding; where they differ: ids as the reference server writes it (id 0 written); values as the reference server writes it (falsy data written, number and boolean data JSON-encoded)"
        )
        // The synthetic typed-mixed body is the hand-written one: the check compares with Nest, not with itself.
        let body = SyntheticRun.make(Scenario.Name.typedMixed).exchanges[0].body
        #expect(body == SyntheticRun.bytes(Self.typedMixedAsNestWritesIt.joined()))
    }

    @Test("nest/wire-identical: an empty type written as an event: line differs from Nest")
    func wireDiffers() async {
        let probes = Self.probes(
            breaking: Scenario.Name.typedMixed,
            rewrite: Self.event(6, "event: \nid: 6\ndata: empty type is message\n\n")
        )
        let nest = Self.typedMixedAsNestWritesIt.joined().utf8.count
        let at = Self.typedMixedAsNestWritesIt.dropLast().joined().utf8.count
        Self.expectFailure(
            await judgeScenarios("nest/wire-identical", probes),
            .warn,
            expected:
                #"scenario typed-mixed: \#(nest) bytes as Nest writes them; from byte \#(at): "id: 6\ndata: empty type is message\n\n""#,
            actual: #"\#(nest + 8) bytes; from byte \#(at): "event: \nid: 6\ndata: empty type is message\n\n""#
        )
    }

    @Test("nest/object-data-json: object and array data on one JSON.stringify line")
    func objectDataOneLine() async {
        let result = await judgeScenarios("nest/object-data-json", .scenarios())
        #expect(result.status == .pass)
        // sample28-sse's three { hello: 'world' }, typed-mixed's { n: 2, ok: true }, unicode's object, values' [1, 2]
        // and object.
        #expect(result.evidence.summary == "7 object/array data value(s) written as one JSON.stringify line")
    }

    @Test("nest/object-data-json: an object split over two data lines warns")
    func objectDataSplit() async {
        let probes = Self.probes(
            breaking: Scenario.Name.typedMixed,
            rewrite: Self.event(4, "event: update\nid: 4\ndata: {\"n\":2,\ndata: \"ok\":true}\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("nest/object-data-json", probes),
            .warn,
            expected: #"scenario typed-mixed, event 4: one line data: {"n":2,"ok":true}"#,
            actual: #"2 data line(s): "{\"n\":2,", "\"ok\":true}""#
        )
    }

    @Test("nest/error-event: the failing source ends with event: error, the next id, the message")
    func errorEvent() async {
        #expect(await judgeScenarios("nest/error-event", .scenarios()).status == .pass)
    }

    static let errorExpected = "event: error, id: 3, data: boom mid-stream, then the end of the response"

    @Test("nest/error-event: a source error that just ends the response warns")
    func errorEventMissing() async {
        let probes = Self.probes(breaking: Scenario.Name.error) { _, chunks in chunks.removeLast() }
        Self.expectFailure(
            await judgeScenarios("nest/error-event", probes),
            .warn,
            expected: Self.errorExpected,
            actual: "last event: id: 2, data: second"
        )
    }

    @Test("nest/error-event: an error event that does not take the next id warns")
    func errorEventWrongId() async {
        let probes = Self.probes(
            breaking: Scenario.Name.error,
            rewrite: Self.event(3, "event: error\nid: 2\ndata: boom mid-stream\n\n")
        )
        Self.expectFailure(
            await judgeScenarios("nest/error-event", probes),
            .warn,
            expected: Self.errorExpected,
            actual: "last event: event: error, id: 2, data: boom mid-stream"
        )
    }

    @Test("nest/error-event: a response that breaks after the error event warns")
    func errorEventBrokenEnd() async {
        let probes = Self.probes(
            breaking: Scenario.Name.error,
            adjust: { _, exchange in
                exchange.end = .broken("connection reset by peer")
            }
        )
        Self.expectFailure(
            await judgeScenarios("nest/error-event", probes),
            .warn,
            expected: Self.errorExpected,
            actual: "after the error event: the connection broke: connection reset by peer"
        )
    }

    @Test("nest/auto-ids: scenario ids are the declared ones, the counter for the rest")
    func declaredIds() async {
        let result = await judgeScenarios("nest/auto-ids", .scenarios())
        #expect(result.status == .pass)
        #expect(
            result.evidence.summary
                == "ids as Nest numbers them in 13 scenario(s); a numeric id 0 written as id: 0, as the reference server does, in ids"
        )
    }

    @Test("nest/auto-ids: a counter that counts explicit ids too warns")
    func counterCountsExplicitIds() async {
        // ids: a, b (user-7), c: Nest gives c the counter's 2, not 3.
        let probes = Self.probes(breaking: Scenario.Name.ids, rewrite: Self.event(3, "id: 3\ndata: c\n\n"))
        Self.expectFailure(
            await judgeScenarios("nest/auto-ids", probes),
            .warn,
            expected: "scenario ids, event 3: id 2 (the counter counts only events without an id)",
            actual: "id 3"
        )
    }

    @Test("nest/auto-ids: an event without an id line warns")
    func eventWithoutId() async {
        let probes = Self.probes(breaking: Scenario.Name.ids, rewrite: Self.event(1, "data: a\n\n"))
        Self.expectFailure(
            await judgeScenarios("nest/auto-ids", probes),
            .warn,
            expected: "scenario ids, event 1: id 1 (the counter counts only events without an id)",
            actual: "no id line"
        )
    }
}

import SSETestSupport
import ServerSentEvents
import Testing

/// The NestJS model against what real NestJS servers sent (fixtures/nest/: the captures, and the behaviour its
/// README records as measured without a file): the model is NestJS 11.1, losses included.
struct NestModelTests {
    /// The model's writes for one connection: the preamble, one write per event Nest writes, the error event. A
    /// write that ends the stream (nil) ends the list.
    static func writes(_ events: [MessageEvent], error: String? = nil) -> [[UInt8]] {
        var model = NestModel()
        var writes = [NestModel.preamble]
        for event in events {
            guard let bytes = model.write(event) else { return writes }
            writes.append(bytes)
        }
        if let error, let bytes = model.writeError(message: error) { writes.append(bytes) }
        return writes
    }

    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    @Test(
        "NestModel reproduces every NestJS 11.1.19 capture write for write, from the handler's own events",
        arguments: NestEventEncoderTests.cases
    )
    func reproducesCapture(_ handler: NestCaptureHandler) throws {
        let capture = try NestCapture.load(handler.capture + ".raw")
        #expect(capture.complete)
        let ours = Self.writes(handler.events, error: handler.error)
        #expect(ours.count == capture.chunks.count)
        for (index, (mine, nest)) in zip(ours, capture.chunks).enumerated() {
            #expect(
                mine == nest,
                "write \(index): model \(Self.text(mine)!.debugDescription), Nest \(Self.text(nest)!.debugDescription)"
            )
        }
        #expect(ours.flatMap { $0 } == capture.body)
    }

    @Test(
        "NestModel: sample 28-sse (11.1.19 and 11.0.5) is a prefix of the endless stream",
        arguments: ["nest11.1.19_sample28_sse.raw", "nest11.0.5_sample28_sse.raw"]
    )
    func sample28(_ name: String) throws {
        let capture = try NestCapture.load(name)
        #expect(capture.chunks.count >= 2)
        let events = Array(repeating: MessageEvent(data: .json(["hello": "world"])), count: capture.chunks.count - 1)
        #expect(Self.writes(events) == capture.chunks)
    }

    @Test("NestModel: the ids capture's numeric id 0 takes the counter (id: 3), and the counter goes on")
    func zeroIdTakesTheCounter() throws {
        let capture = try NestCapture.load("nest11.1.19_probe_ids.raw")
        #expect(Self.text(capture.chunks[4]) == "id: 3\ndata: d\n\n")
        var model = NestModel()
        for event in [MessageEvent(data: "a"), MessageEvent(data: "b", id: "user-7"), MessageEvent(data: "c")] {
            _ = model.write(event)
        }
        #expect(Self.text(model.write(MessageEvent(data: "d", id: 0))) == "id: 3\ndata: d\n\n")
        #expect(Self.text(model.write(MessageEvent(data: "e", id: ""))) == "id: 4\ndata: e\n\n")
        #expect(model.lastGeneratedId == 4)
    }

    @Test("NestModel is 11.1, not 11.0.5: the 11.0.5 injection capture's raw CR/LF are not reproduced")
    func notTheInjectingRelease() throws {
        let old = try NestCapture.load("nest11.0.5_probe_inject.raw")
        let new = try NestCapture.load("nest11.1.19_probe_inject.raw")
        let events = [
            MessageEvent(data: "payload", id: "x\ny", type: "evil\ndata: injected"),
            MessageEvent(data: "payload2", id: "p\rq", type: "a\r\nb", retry: "10\n20"),
        ]
        #expect(Self.writes(events) == new.chunks)
        #expect(Self.writes(events) != old.chunks)
        // What 11.0.5 wrote: the same fields with the app's CR/LF raw, so its injection bytes are the model's
        // with the breaks put back.
        #expect(Self.text(old.chunks[1]) == "event: evil\ndata: injected\nid: x\ny\ndata: payload\n\n")
    }

    // MARK: measured without a capture file (fixtures/nest/README.md, "More behaviour measured")

    @Test(
        "NestModel: falsy data writes id: N and the blank line, no data line",
        arguments: [MessageData.string(""), .json(0), .json(false), .json(nil), .json(.string(""))]
    )
    func falsyData(_ data: MessageData) {
        var model = NestModel()
        #expect(Self.text(model.write(MessageEvent(data: data))) == "id: 1\n\n")
        #expect(model.dataFate(data) == .noLine)
        // The counter number is used: the next event gets 2.
        #expect(Self.text(model.write(MessageEvent(data: "x"))) == "id: 2\ndata: x\n\n")
    }

    @Test("NestModel: a type-only event and an id-only event (no counter number used)")
    func noDataEvents() {
        var model = NestModel()
        #expect(Self.text(model.write(MessageEvent(data: nil, type: "only-type"))) == "event: only-type\nid: 1\n\n")
        #expect(Self.text(model.write(MessageEvent(data: nil, id: "only-id"))) == "id: only-id\n\n")
        #expect(Self.text(model.write(MessageEvent(data: "x"))) == "id: 2\ndata: x\n\n")
    }

    @Test(
        "NestModel: truthy number or boolean data ends the stream there: nothing more, no error event",
        arguments: [JSONValue.number(42), .bool(true), .number(1.5), .number(-1)]
    )
    func scalarDataEndsTheStream(_ value: JSONValue) {
        var model = NestModel()
        #expect(model.write(MessageEvent(data: "before")) != nil)
        #expect(model.dataFate(.json(value)) == .endsStream)
        #expect(model.write(MessageEvent(data: .json(value))) == nil)
        #expect(model.ended)
        #expect(model.write(MessageEvent(data: "after")) == nil)
        #expect(model.writeError(message: "boom") == nil)
    }

    @Test("NestModel: retry 0 is dropped, retry 'abc' written as is, an empty type left out")
    func retryAndType() {
        var model = NestModel()
        #expect(Self.text(model.write(MessageEvent(data: "x", retry: 0))) == "id: 1\ndata: x\n\n")
        #expect(Self.text(model.write(MessageEvent(data: "x", retry: "abc"))) == "id: 2\nretry: abc\ndata: x\n\n")
        #expect(Self.text(model.write(MessageEvent(data: "x", type: ""))) == "id: 3\ndata: x\n\n")
    }

    @Test("NestModel: the error event takes the next counter id")
    func errorEvent() {
        var model = NestModel()
        _ = model.write(MessageEvent(data: "first"))
        #expect(Self.text(model.writeError(message: "boom")) == "event: error\nid: 2\ndata: boom\n\n")
    }

    // MARK: the divergences, one at a time

    @Test("NestDivergences: each flag changes only its own rule")
    func eachDivergence() {
        func one(_ divergences: NestDivergences, _ event: MessageEvent) -> String? {
            var model = NestModel(divergences: divergences)
            return Self.text(model.write(event))
        }
        #expect(one(.writesFalsyData, MessageEvent(data: "")) == "id: 1\ndata: \n\n")
        #expect(one(.writesFalsyData, MessageEvent(data: .json(0))) == "id: 1\ndata: 0\n\n")
        #expect(one(.writesFalsyData, MessageEvent(data: .json(42))) == nil)
        #expect(one(.encodesScalarData, MessageEvent(data: .json(42))) == "id: 1\ndata: 42\n\n")
        #expect(one(.encodesScalarData, MessageEvent(data: .json(false))) == "id: 1\n\n")
        #expect(one(.writesZeroRetry, MessageEvent(data: "x", retry: 0)) == "id: 1\nretry: 0\ndata: x\n\n")
        #expect(one(.writesZeroId, MessageEvent(data: "x", id: 0)) == "id: 0\ndata: x\n\n")
        #expect(NestDivergences.combinations.count == 16)
        #expect(NestDivergences.combinations.first == [])
        #expect(NestDivergences.combinations.last == .reference)
    }

    @Test("NestEventEncoder is the model with every reference divergence")
    func encoderIsTheReferenceModel() {
        let events: [MessageEvent] = [
            MessageEvent(data: ""), MessageEvent(data: .json(0)), MessageEvent(data: .json(42)),
            MessageEvent(data: "x", id: 0, retry: 0), MessageEvent(data: "a\r\nb", id: "i\nd", type: "t\rt"),
        ]
        var encoder = NestEventEncoder()
        var model = NestModel(divergences: .reference)
        for event in events { #expect(encoder.encode(event) == model.write(event)) }
    }
}

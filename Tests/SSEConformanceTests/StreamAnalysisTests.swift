import ServerSentEvents
import Testing

@testable import SSEConformance

/// The analysis reads its events and fields from the parser's observation log and makes their Strings itself
/// (an event with one data line shares that line's value). Whatever the chunking, it must give the events the
/// parser dispatches and the fields as written.
struct StreamAnalysisTests {
    static let bodies: [[UInt8]] = [
        Array("data: a\n\nevent: t\ndata: b\ndata: c\n\nid: 1\ndata: ü\n\nevent: t\ndata: d\n\n".utf8),
        Array(": c\nretry: 10\nid: 2\n\ndata:\n\nevent:\ndata: e\r\n\r\nfoo: bar\ndata: f\rdata: g\r\r".utf8),
        // Invalid UTF-8 in a one-line event and in a two-line one: the data is decoded with U+FFFD either way.
        [0x64, 0x61, 0x74, 0x61, 0x3A, 0xFF, 0x0A, 0x0A, 0x64, 0x61, 0x74, 0x61, 0x3A, 0xC3, 0x0A]
            + [0x64, 0x61, 0x74, 0x61, 0x3A, 0x41, 0x0A, 0x0A],
        // A block discarded at the limit, then one-line events (the data-line count starts again).
        Array(("data: x\n" + "data: " + String(repeating: "y", count: 200) + "\n\ndata: h\n\ndata: i\n\n").utf8),
    ]

    /// What an EventSource dispatches for each body (WHATWG 9.2.6): type, data (lines joined with LF, invalid
    /// UTF-8 as U+FFFD), last event ID.
    static let specEvents: [[ServerSentEvent]] = [
        [
            ServerSentEvent(data: "a"), ServerSentEvent(type: "t", data: "b\nc"),
            ServerSentEvent(data: "ü", lastEventId: "1"), ServerSentEvent(type: "t", data: "d", lastEventId: "1"),
        ],
        // The retry/id block has no data (it sets the ID); `data:` alone is an empty event; `event:` empty is
        // "message"; CR ends lines too.
        [
            ServerSentEvent(data: "", lastEventId: "2"), ServerSentEvent(data: "e", lastEventId: "2"),
            ServerSentEvent(data: "f\ng", lastEventId: "2"),
        ],
        [ServerSentEvent(data: "\u{FFFD}"), ServerSentEvent(data: "\u{FFFD}\nA")],
        // The block with the 206-byte line is discarded whole (its `data: x` too).
        [ServerSentEvent(data: "h"), ServerSentEvent(data: "i")],
    ]

    /// The events `parse(_:_:)` dispatches, and every field observation as (name, value).
    static func expected(_ body: [UInt8]) -> (events: [ServerSentEvent], fields: [String]) {
        let configuration = EventStreamParser.Configuration(
            maxLineLength: 100,
            maxEventSize: 1 << 20,
            recordsObservations: true
        )
        var parser = EventStreamParser(configuration: configuration)
        let outputs = parser.parse(body)
        parser.finish()
        let fields = parser.takeObservations().compactMap { observation -> String? in
            guard case .field(let name, let value) = observation.kind else { return nil }
            return "\(name): \(value)"
        }
        return (EventStreamParser.events(in: outputs), fields)
    }

    @Test(arguments: bodies.indices)
    func eventsAndFieldsAreTheParsersInAnyChunking(_ index: Int) {
        let body = Self.bodies[index]
        let (events, fields) = Self.expected(body)
        #expect(events == Self.specEvents[index], "the parser against the spec")
        for cut in 0..<body.count {
            let chunks = cut == 0 ? [(0.1, body)] : [(0.1, Array(body[..<cut])), (0.2, Array(body[cut...]))]
            let analysis = StreamAnalysis(Wire.bytes(chunks), maxLineLength: 100)
            #expect(analysis.events == events, "cut at \(cut)")
            #expect(analysis.blocks.compactMap(\.event) == events, "cut at \(cut)")
            let blockFields = analysis.blocks.flatMap { $0.fields.map { "\($0.name): \($0.value)" } }
            #expect(blockFields == fields, "cut at \(cut)")
            #expect(analysis.observations.count(.field) == fields.count)
        }
    }

    @Test func oneLineEventsShareTheirLinesValue() {
        let analysis = StreamAnalysis(Wire.stream([(0.1, "data: " + String(repeating: "z", count: 64) + "\n\n")]))
        let block = analysis.blocks[0]
        #expect(block.event?.data == block.fields[0].value)
        #expect(analysis.events[0].data.count == 64)
    }
}

import ServerSentEvents
import Testing

/// Everything a parse run produces, for comparing runs over differently chunked input.
struct ParseResult: Equatable, CustomStringConvertible {
    var outputs: [EventStreamParser.Output]
    var observations: [EventStreamObservation]
    var lastEventId: String
    var reconnectionTime: Int?

    var events: [ServerSentEvent] { EventStreamParser.events(in: outputs) }
    var errors: [EventStreamError] { outputs.compactMap { if case .error(let e) = $0 { e } else { nil } } }

    var description: String {
        "events \(events), errors \(errors), lastEventId \(lastEventId.debugDescription), retry \(String(describing: reconnectionTime))"
    }
}

/// A small deterministic generator (SplitMix64), so random splittings are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476C_E5B9_E11D
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Feeds the same bytes whole, one byte at a time, split in two at every position and in 200 seeded random
/// splittings, and demands the same events, errors, observations, last event ID and reconnection time from each.
/// A CRLF or a UTF-8 sequence split across chunks is the classic bug this catches.
enum ChunkInvariance {
    static func parse(
        _ chunks: [ArraySlice<UInt8>],
        configuration: EventStreamParser.Configuration,
        lastEventId: String = ""
    ) -> ParseResult {
        var parser = EventStreamParser(configuration: configuration, lastEventId: lastEventId)
        var outputs: [EventStreamParser.Output] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { parser.parse($0) { outputs.append($0) } }
        }
        parser.finish()
        return ParseResult(
            outputs: outputs,
            observations: parser.takeObservations(),
            lastEventId: parser.lastEventId,
            reconnectionTime: parser.reconnectionTime
        )
    }

    /// The same chunks through the zero-copy `parse(_:events:errors:)`, each event made from its view; also the raw
    /// data bytes of each view, copied during its callback.
    static func parseViews(
        _ chunks: [ArraySlice<UInt8>],
        configuration: EventStreamParser.Configuration,
        lastEventId: String = ""
    ) -> (result: ParseResult, data: [[UInt8]]) {
        var parser = EventStreamParser(configuration: configuration, lastEventId: lastEventId)
        var outputs: [EventStreamParser.Output] = []
        var data: [[UInt8]] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { bytes in
                parser.parse(bytes) { view in
                    let event = view.makeEvent()
                    // The view's parts are the event's: the bytes decode to its data, as the spec decodes them.
                    #expect(view.dataString == event.data && view.type == event.type)
                    #expect(view.lastEventId == event.lastEventId && ServerSentEvent(view) == event)
                    #expect(String(decoding: view.data, as: UTF8.self) == event.data)
                    outputs.append(.event(event))
                    data.append(Array(view.data))
                } errors: { error in
                    outputs.append(.error(error))
                }
            }
        }
        parser.finish()
        let result = ParseResult(
            outputs: outputs,
            observations: parser.takeObservations(),
            lastEventId: parser.lastEventId,
            reconnectionTime: parser.reconnectionTime
        )
        return (result, data)
    }

    /// All the splittings of `bytes` the helper tries, with a label for failure messages.
    static func splittings(
        of bytes: [UInt8],
        randomRounds: Int = 200,
        seed: UInt64 = 0x55E
    ) -> [(String, [ArraySlice<UInt8>])] {
        var result: [(String, [ArraySlice<UInt8>])] = [("whole", [bytes[...]])]
        result.append(("byte by byte", bytes.indices.map { bytes[$0..<$0 + 1] }))
        if bytes.count > 1 {
            for cut in 1..<bytes.count {
                result.append(("split at \(cut)", [bytes[..<cut], bytes[cut...]]))
            }
        }
        var generator = SeededGenerator(seed: seed)
        for round in 0..<randomRounds {
            var chunks: [ArraySlice<UInt8>] = []
            var start = 0
            while start < bytes.count {
                let length = Int.random(in: 0...min(16, bytes.count - start), using: &generator)
                chunks.append(bytes[start..<start + length])  // empty chunks are legal input too
                start += length
            }
            result.append(("random splitting #\(round)", chunks))
        }
        return result
    }

    /// Checks that every splitting gives the whole-input result (with observations on and off), through both
    /// `parse(_:_:)` and `parse(_:events:errors:)`, and returns it.
    @discardableResult
    static func verify(
        _ bytes: [UInt8],
        configuration: EventStreamParser.Configuration = .init(),
        lastEventId: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ParseResult {
        var observing = configuration
        observing.recordsObservations = true
        var fast = configuration
        fast.recordsObservations = false
        let reference = parse([bytes[...]], configuration: observing, lastEventId: lastEventId)
        let fastReference = parse([bytes[...]], configuration: fast, lastEventId: lastEventId)
        #expect(
            fastReference.outputs == reference.outputs,
            "observations changed the outputs",
            sourceLocation: sourceLocation
        )
        #expect(fastReference.lastEventId == reference.lastEventId, sourceLocation: sourceLocation)
        #expect(fastReference.reconnectionTime == reference.reconnectionTime, sourceLocation: sourceLocation)
        for (label, chunks) in splittings(of: bytes) {
            for config in [observing, fast] {
                let result = parse(chunks, configuration: config, lastEventId: lastEventId)
                let expected = config.recordsObservations ? reference : fastReference
                if result != expected {
                    let mode = config.recordsObservations ? "on" : "off"
                    let note = result.observations != expected.observations ? "\n  observations differ" : ""
                    let message =
                        "\(label) (observations \(mode)) differs:\n  whole: \(expected)\n  split: \(result)\(note)"
                    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
                    return reference
                }
                let views = parseViews(chunks, configuration: config, lastEventId: lastEventId).result
                if views != expected {
                    let mode = config.recordsObservations ? "on" : "off"
                    let note = views.observations != expected.observations ? "\n  observations differ" : ""
                    let message =
                        "\(label) (observations \(mode)) as views differs from parse(_:_:):\n  events: \(expected)"
                        + "\n  views:  \(views)\(note)"
                    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
                    return reference
                }
            }
        }
        return reference
    }
}

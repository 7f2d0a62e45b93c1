import Testing

@testable import ServerSentEvents

/// Parser behaviour beyond the stream vectors: observations, limits, reuse across reconnections.
struct EventStreamParserTests {
    static func observe(_ text: String, _ configuration: EventStreamParser.Configuration = .init()) -> ParseResult {
        var config = configuration
        config.recordsObservations = true
        return ChunkInvariance.verify(Array(text.utf8), configuration: config)
    }

    static func observe(bytes: [UInt8], _ configuration: EventStreamParser.Configuration = .init()) -> ParseResult {
        var config = configuration
        config.recordsObservations = true
        return ChunkInvariance.verify(bytes, configuration: config)
    }

    @Test func observesLinesWithOffsetsAndTerminators() {
        let result = Self.observe("data: a\r\n\r\ndata:b\rid\n\n")
        let lines = result.observations.compactMap { o -> String? in
            if case .line(let length, let terminator) = o.kind { return "\(o.offset):\(length):\(terminator.rawValue)" }
            return nil
        }
        #expect(lines == ["0:7:CRLF", "9:0:CRLF", "11:6:CR", "18:2:LF", "21:0:LF"])
        #expect(result.events == [ServerSentEvent(data: "a"), ServerSentEvent(data: "b")])
    }

    @Test func crAtTheEndOfAChunkThenLFIsOneCRLF() {
        var parser = EventStreamParser(configuration: .init(recordsObservations: true))
        var events: [ServerSentEvent] = []
        for chunk in ["data: x\r", "\n\r", "\n"] {
            for output in parser.parse(Array(chunk.utf8)) { if case .event(let e) = output { events.append(e) } }
        }
        #expect(events == [ServerSentEvent(data: "x")])
        let terminators = parser.observations.compactMap { o -> LineTerminator? in
            if case .line(_, let t) = o.kind { return t }
            return nil
        }
        #expect(terminators == [.crlf, .crlf])
    }

    @Test func observesFieldsCommentsAndRejectedValues() {
        let result = Self.observe(
            bytes: Array(": hi\nid: a\u{0}b\nretry: 1s\nretry: 0300\nevent: x\nfoo: bar\ndata\n\n".utf8)
        )
        let kinds = result.observations.map(\.kind).filter { if case .line = $0 { false } else { true } }
        #expect(
            kinds == [
                .comment(" hi"),
                .field(name: "id", value: "a\u{0}b"), .idWithNull("a\u{0}b"),
                .field(name: "retry", value: "1s"), .invalidRetry("1s"),
                .field(name: "retry", value: "0300"), .retry(300),
                .field(name: "event", value: "x"),
                .field(name: "foo", value: "bar"),
                .field(name: "data", value: ""),
                .dispatched(ServerSentEvent(type: "x", data: "", lastEventId: "")),
            ]
        )
        #expect(result.reconnectionTime == 300)
    }

    @Test func observesBlocksThatDispatchNothing() {
        let result = Self.observe("\nevent: only-type\nid: 7\n\nid: 8\n\n")
        let blocks = result.observations.compactMap { o -> String? in
            if case .blockWithoutData(let fields) = o.kind { return "\(o.offset):\(fields.joined(separator: ","))" }
            return nil
        }
        #expect(blocks == ["0:", "24:event,id", "31:id"])
        #expect(result.events.isEmpty)
        #expect(result.lastEventId == "8")
    }

    @Test func observesByteOrderMarks() {
        let result = Self.observe(bytes: [0xEF, 0xBB, 0xBF] + Array("data: a\n\ndata: \u{FEFF}b\n\n".utf8))
        let boms = result.observations.compactMap { o -> String? in
            if case .byteOrderMark(let leading) = o.kind { return "\(o.offset):\(leading)" }
            return nil
        }
        #expect(boms == ["0:true", "18:false"])
        #expect(result.events.map(\.data) == ["a", "\u{FEFF}b"])
    }

    @Test func observesInvalidUTF8WithOffsetsAndLengths() {
        // "data: " then C3 (truncated 2-byte), 41, E2 82 (truncated 3-byte), 80 (lone continuation), F0 9F 98 80 (valid)
        let bytes: [UInt8] =
            Array("data: ".utf8) + [0xC3, 0x41, 0xE2, 0x82, 0x80, 0x80, 0xF0, 0x9F, 0x98, 0x80] + [10, 10]
        let result = Self.observe(bytes: bytes)
        let invalid = result.observations.compactMap { o -> String? in
            if case .invalidUTF8(let length) = o.kind { return "\(o.offset):\(length)" }
            return nil
        }
        // E2 82 80 is a complete, valid sequence (U+2080); the second 80 is the lone one.
        #expect(invalid == ["6:1", "11:1"])
        #expect(result.events.map(\.data) == ["\u{FFFD}A\u{2080}\u{FFFD}😀"])
    }

    /// The observation count of invalid sequences must equal the U+FFFD the decoder produces: both follow the
    /// "maximal subpart" rule the WHATWG UTF-8 decoder uses.
    @Test func invalidSequenceCountMatchesDecoderReplacements() {
        var generator = SeededGenerator(seed: 42)
        let interesting: [UInt8] = [
            0x41, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF, 0xF0, 0x90, 0xF4, 0x8F, 0xF5, 0xFF,
        ]
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                interesting.randomElement(using: &generator)!
            }
            let replacements = String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0 == "\u{FFFD}" }.count
            #expect(UTF8Scanner.invalidSequenceCount(bytes) == replacements, "\(bytes)")
        }
    }

    @Test func unterminatedTailIsObservedAndDiscarded() {
        let result = Self.observe("data: a\n\nid: 9\ndata: b\n")
        #expect(result.events == [ServerSentEvent(data: "a")])
        #expect(result.lastEventId == "", "the unterminated block's id must not become the source's last event ID")
        #expect(result.observations.last == EventStreamObservation(offset: 9, kind: .unterminatedTail(length: 14)))
    }

    @Test func partialLineTailIsObserved() {
        let result = Self.observe("data: a\n\ndata: b")
        #expect(result.observations.last == EventStreamObservation(offset: 9, kind: .unterminatedTail(length: 7)))
    }

    @Test func retryInAnUnterminatedBlockStillCounts() {
        let result = Self.observe("retry: 2500\ndata: x\n")
        #expect(result.events.isEmpty)
        #expect(result.reconnectionTime == 2500)
    }

    @Test func hugeRetrySaturates() {
        #expect(Self.observe("retry: 99999999999999999999999999\n").reconnectionTime == Int.max)
    }

    @Test func lineOverTheLimitDiscardsItsBlockAndParsingResumes() {
        let config = EventStreamParser.Configuration(maxLineLength: 16)
        let result = Self.observe("event: t\ndata: 0123456789abcdef\ndata: c\n\ndata: next\n\n", config)
        #expect(result.errors == [EventStreamError(kind: .lineTooLong, offset: 9, limit: 16)])
        #expect(result.events == [ServerSentEvent(data: "next")])
    }

    @Test func eventOverTheLimitIsDiscarded() {
        let config = EventStreamParser.Configuration(maxLineLength: 64, maxEventSize: 10)
        let result = Self.observe("data: 12345\ndata: 67890\ndata: z\n\ndata: ok\n\n", config)
        #expect(result.errors == [EventStreamError(kind: .eventTooLarge, offset: 12, limit: 10)])
        #expect(result.events == [ServerSentEvent(data: "ok")])
    }

    /// 8 MiB without a line end, fed in 64 KiB chunks: one error, and the parser never holds more than its limit.
    @Test func eightMebibytesWithoutALineEndStayWithinTheDefaultLimit() {
        var parser = EventStreamParser()
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
        var errors: [EventStreamError] = []
        var largest = 0
        chunk.withUnsafeBytes { bytes in
            for _ in 0..<128 {
                parser.parse(bytes) { if case .error(let e) = $0 { errors.append(e) } }
                largest = max(largest, parser.partial.capacity)
            }
        }
        #expect(errors == [EventStreamError(kind: .lineTooLong, offset: 0, limit: 1 << 20)])
        #expect(largest <= 2 << 20, "the parser buffered \(largest) bytes")
        var after: [ServerSentEvent] = []
        for output in parser.parse(Array("\n\ndata: fine\n\n".utf8)) {
            if case .event(let e) = output { after.append(e) }
        }
        #expect(after == [ServerSentEvent(data: "fine")])
    }

    @Test func finishKeepsTheSourceStateForTheNextConnection() {
        var parser = EventStreamParser()
        _ = parser.parse(Array("retry: 750\nid: 41\ndata: a\n\nid: 99\ndata: pending".utf8))
        parser.finish()
        #expect(parser.lastEventId == "41")
        #expect(parser.reconnectionTime == 750)
        #expect(parser.offset == 0)
        let events = EventStreamParser.events(in: parser.parse(Array("data: b\n\n".utf8)))
        // Seeded like browsers: an event without an id on the new connection carries the ID we resumed from.
        #expect(events == [ServerSentEvent(data: "b", lastEventId: "41")])
    }

    @Test func seededLastEventId() {
        var parser = EventStreamParser(lastEventId: "7")
        let events = EventStreamParser.events(in: parser.parse(Array("data: x\n\nid\ndata: y\n\n".utf8)))
        #expect(events == [ServerSentEvent(data: "x", lastEventId: "7"), ServerSentEvent(data: "y", lastEventId: "")])
    }

    @Test func typeStringIsReusedButCorrectAcrossChanges() {
        let result = Self.observe("event: a\ndata: 1\n\nevent: a\ndata: 2\n\nevent: b\ndata: 3\n\ndata: 4\n\n")
        #expect(result.events.map(\.type) == ["a", "a", "b", "message"])
    }

    /// Taking observations between chunks gives the same observations, in the same order, as taking them once at
    /// the end, whatever the chunking: in particular a CR at a chunk's end is held until the next chunk says
    /// whether it is half of a CRLF.
    @Test func takingObservationsBetweenChunksIsChunkInvariant() {
        let text = Array("data: a\r\n\r\ndata: b\r\rid: 1\r\ndata: c\n\r\n: x\r".utf8)
        var whole = EventStreamParser(configuration: .init(recordsObservations: true))
        _ = whole.parse(text)
        whole.finish()
        let expected = whole.takeObservations()
        for (label, chunks) in ChunkInvariance.splittings(of: text, randomRounds: 50) {
            var parser = EventStreamParser(configuration: .init(recordsObservations: true))
            var taken: [EventStreamObservation] = []
            for chunk in chunks {
                _ = parser.parse(chunk)
                taken += parser.takeObservations()
            }
            parser.finish()
            taken += parser.takeObservations()
            #expect(taken == expected, "\(label)")
        }
    }

    /// Only CR and LF end a line (§9.2.5: "end-of-line = ( cr lf / cr / lf )"); every other control byte is line
    /// content, including those the line scan must look at twice (below 0x0E: NUL, TAB, VT, FF), at every position
    /// of a 16-byte word and across chunk splits.
    @Test func controlBytesOtherThanCRAndLFAreLineContent() {
        for control in [0x00, 0x01, 0x09, 0x0B, 0x0C, 0x0E] as [UInt8] {
            for position in [0, 5, 7, 8, 15, 16, 23] {
                var value = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
                value[position] = control
                let bytes = Array("data: ".utf8) + value + Array("\n\nid: ".utf8) + value + Array("\r\n\r\n".utf8)
                let result = Self.observe(bytes: bytes)
                let text = String(decoding: value, as: UTF8.self)
                // An id holding U+0000 is ignored by the spec; any other control byte is kept.
                let id = control == 0 ? "" : text
                #expect(result.events == [ServerSentEvent(data: text)], "byte \(control) at \(position)")
                #expect(result.lastEventId == id, "byte \(control) at \(position)")
            }
        }
    }
}

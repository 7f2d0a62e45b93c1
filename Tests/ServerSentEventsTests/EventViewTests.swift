import ServerSentEvents
import Testing

/// The zero-copy path, `parse(_:events:errors:)`: its views dispatch what `parse(_:_:)` dispatches (ChunkInvariance
/// checks that for every corpus and splitting), and their data is the raw bytes the spec's data buffer holds, which
/// decode (UTF-8 with replacement) to the spec's string.
struct EventViewTests {
    /// The data bytes each event of a whole stream dispatches, by a plain reading of §9.2.5 and §9.2.6 over bytes
    /// (no chunks, no limits): an oracle for the views' data.
    static func referenceData(_ stream: [UInt8]) -> [[UInt8]] {
        var bytes = stream[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var events: [[UInt8]] = []
        var data: [UInt8] = []
        var start = bytes.startIndex
        var i = start
        while i < bytes.endIndex {
            let byte = bytes[i]
            guard byte == 0x0A || byte == 0x0D else {
                i += 1
                continue
            }
            let line = bytes[start..<i]
            i += byte == 0x0D && i + 1 < bytes.endIndex && bytes[i + 1] == 0x0A ? 2 : 1
            start = i
            if line.isEmpty {
                if !data.isEmpty { events.append(Array(data.dropLast())) }
                data = []
            } else if line.first != 0x3A {
                let colon = line.firstIndex(of: 0x3A) ?? line.endIndex
                var value = line[colon...].dropFirst()
                if value.first == 0x20 { value = value.dropFirst() }
                if Array(line[..<colon]) == Array("data".utf8) { data += value + [0x0A] }
            }
        }
        return events
    }

    @Test(arguments: StreamVector.all)
    func viewDataIsTheSpecsBytes(_ vector: StreamVector) {
        guard (vector.limitErrors ?? 0) == 0 else { return }  // the oracle has no limits
        let expected = Self.referenceData(vector.bytes)
        for observing in [false, true] {
            let configuration = EventStreamParser.Configuration(recordsObservations: observing)
            let (result, data) = ChunkInvariance.parseViews([vector.bytes[...]], configuration: configuration)
            #expect(data == expected, "\(vector.id)")
            // Decoding the bytes with replacement is the spec's string.
            #expect(
                expected.map { String(decoding: $0, as: UTF8.self) } == vector.events.map(\.data),
                "\(vector.id)"
            )
            #expect(result.events.map(\.data) == vector.events.map(\.data), "\(vector.id)")
        }
    }

    @Test func invalidUTF8IsPassedThroughRaw() {
        let stream: [UInt8] = Array("data: a".utf8) + [0xFF, 0xC3] + Array("b\ndata:\r\ndata: c\r\n\r\n".utf8)
        for (label, chunks) in ChunkInvariance.splittings(of: stream, randomRounds: 20) {
            for observing in [false, true] {
                let (result, data) = ChunkInvariance.parseViews(
                    chunks,
                    configuration: .init(recordsObservations: observing)
                )
                #expect(data == [Array("a".utf8) + [0xFF, 0xC3] + Array("b\n\nc".utf8)], "\(label)")
                #expect(result.events == [ServerSentEvent(data: "a\u{FFFD}\u{FFFD}b\n\nc")], "\(label)")
            }
        }
    }

    @Test func typeAndLastEventIdFollowTheSpec() {
        let stream = Array("event: a\nid: 7\ndata: x\n\ndata: y\n\nevent:\nid\ndata\n\n".utf8)
        var parser = EventStreamParser()
        var seen: [String] = []
        stream.withUnsafeBytes { bytes in
            parser.parse(bytes) { view in
                seen.append("\(view.type)|\(view.lastEventId)|\(view.dataString)|\(view.data.count)")
            } errors: { _ in
            }
        }
        #expect(seen == ["a|7|x|1", "message|7|y|1", "message|||0"])
    }

    @Test func limitErrorsAreReportedInOrder() {
        let stream = Array("data: 0123456789\n\ndata: ok\n\ndata: 01234\ndata: 56789\n\ndata: end\n\n".utf8)
        var parser = EventStreamParser(configuration: .init(maxLineLength: 12, maxEventSize: 8))
        var seen: [String] = []
        stream.withUnsafeBytes { bytes in
            parser.parse(bytes) { view in
                seen.append(view.dataString)
            } errors: { error in
                seen.append("error at \(error.offset)")
            }
        }
        #expect(seen == ["error at 0", "ok", "error at 40", "end"])
    }

    /// A callback that throws stops the chunk; the parser stays sound for the next one (the buffer it lent out is
    /// emptied even so).
    @Test func aThrowingCallbackLeavesTheParserSound() {
        struct Stop: Error {}
        var parser = EventStreamParser()
        let first = Array("data: a\ndata: b\n\ndata: c\n\n".utf8)
        #expect(throws: Stop.self) {
            try first.withUnsafeBytes { bytes in
                try parser.parse(bytes) { _ in
                    throw Stop()
                } errors: { _ in
                }
            }
        }
        var seen: [String] = []
        Array("data: d\n\n".utf8).withUnsafeBytes { bytes in
            parser.parse(bytes) {
                seen.append($0.dataString)
            } errors: { _ in
            }
        }
        #expect(seen == ["d"])
    }
}

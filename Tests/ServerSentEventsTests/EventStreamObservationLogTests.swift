import ServerSentEvents
import Testing

/// The observation log: what the parser records without making Strings must read back as the observations the
/// spec gives, whether read an element at a time, through the typed accessors, all at once, or after being taken
/// chunk by chunk, copied, shifted or joined.
struct EventStreamObservationLogTests {
    static func log(_ text: String, chunks: [Int] = []) -> EventStreamObservationLog {
        log(Array(text.utf8), chunks: chunks)
    }

    /// Parses `bytes` cut at `chunks`, taking the log after every chunk and joining the pieces.
    static func log(
        _ bytes: [UInt8],
        chunks: [Int] = [],
        configuration: EventStreamParser.Configuration? = nil
    )
        -> EventStreamObservationLog
    {
        var parser = EventStreamParser(configuration: configuration ?? .init(recordsObservations: true))
        var joined = EventStreamObservationLog()
        var start = 0
        for end in chunks + [bytes.count] {
            bytes[start..<end].withUnsafeBytes {
                parser.parse($0) { _ in
                } errors: { _ in
                }
            }
            join(parser.takeObservationLog(), to: &joined)
            start = end
        }
        parser.finish()
        join(parser.takeObservationLog(), to: &joined)
        return joined
    }

    /// Appends `log` to `joined` (which takes it as it is while empty: one piece keeps its text as recorded).
    static func join(_ log: EventStreamObservationLog, to joined: inout EventStreamObservationLog) {
        if joined.isEmpty {
            joined = log
            return
        }
        for position in log.indices { joined.append(position, of: log) }
    }

    /// Every kind the parser records, with text in each place a record keeps some.
    static let everyKind =
        "\u{FEFF}: hi\r\nevent: t\nid: 7\ndata: é\ndata: b\n\n"  // BOM, comment, CRLF, field, dispatched (two lines)
        + "id: a\0b\nretry: x1\nretry: 250\nfoo: bar\n\n"  // idWithNull, invalidRetry, retry, unknown field, no data
        + "data: \u{FEFF}\u{FFFD}\r\n\rdata: z\n\n"  // a BOM inside a line; a lone CR (a blank line) ends the block
        + "event: t\ndata: " + String(repeating: "x", count: 40) + "\n\ndata: tail"

    @Test func everyElementReadsBackAsTheSpecSays() {
        let log = Self.log(Self.everyKind)
        let kinds = log.map(\.kind)
        #expect(kinds.first == .byteOrderMark(leading: true))
        #expect(kinds.contains(.comment(" hi")))
        #expect(kinds.contains(.line(length: 4, terminator: .crlf)))
        #expect(kinds.contains(.field(name: "event", value: "t")))
        #expect(kinds.contains(.dispatched(ServerSentEvent(type: "t", data: "é\nb", lastEventId: "7"))))
        #expect(kinds.contains(.idWithNull("a\0b")))
        #expect(kinds.contains(.invalidRetry("x1")))
        #expect(kinds.contains(.retry(250)))
        #expect(kinds.contains(.field(name: "foo", value: "bar")))
        #expect(kinds.contains(.blockWithoutData(fields: ["id", "retry", "retry", "foo"])))
        #expect(kinds.contains(.byteOrderMark(leading: false)))
        // "data: \u{FEFF}\u{FFFD}" then CRLF, then a lone CR (a blank line): the event; the ID is still 7.
        #expect(kinds.contains(.dispatched(ServerSentEvent(data: "\u{FEFF}\u{FFFD}", lastEventId: "7"))))
        #expect(kinds.contains(.dispatched(ServerSentEvent(data: "z", lastEventId: "7"))))
        let long = String(repeating: "x", count: 40)
        #expect(kinds.contains(.dispatched(ServerSentEvent(type: "t", data: long, lastEventId: "7"))))
        #expect(kinds.last == .unterminatedTail(length: 10))
        // Every kind but invalid UTF-8 and a limit crossed (the next test has those).
        #expect(Set(kinds.map(\.tag)).count == EventStreamObservation.Tag.allCases.count - 2)
    }

    @Test func theAccessorsAgreeWithTheElements() {
        var bytes = Array((Self.everyKind + "\n\n").utf8)
        bytes += [0x64, 0x61, 0x74, 0x61, 0x3A, 0xFF, 0xC3, 0x0A, 0x0A]  // "data:" and two invalid sequences
        bytes += Array(("data: " + String(repeating: "y", count: 70) + "\n\n").utf8)  // over the 64-byte limit
        bytes += Array("da".utf8)  // unterminated
        let limited = EventStreamParser.Configuration(maxLineLength: 64, maxEventSize: 64, recordsObservations: true)
        let log = Self.log(bytes, configuration: limited)
        #expect(Set(log.map(\.kind.tag)) == Set(EventStreamObservation.Tag.allCases))
        #expect(Array(log) == log.materialized())
        for position in log.indices {
            let element = log[position]
            #expect(log.tag(at: position) == element.kind.tag)
            #expect(log.offset(at: position) == element.offset)
            #expect(log.kind(at: position) == element.kind)
            if case .line(let length, let terminator) = element.kind {
                #expect(log.line(at: position)! == (length, terminator))
            } else {
                #expect(log.line(at: position) == nil)
            }
            if case .field(let name, let value) = element.kind {
                #expect(log.fieldName(at: position) == name && log.fieldValue(at: position) == value)
            } else {
                #expect(log.fieldName(at: position) == nil && log.fieldValue(at: position) == nil)
            }
            if case .dispatched(let event) = element.kind {
                #expect(log.dispatchedEvent(at: position) == event)
                // A field's String is reused only for the bytes it was made from: here the block's one data line,
                // two records back (its line, the field, the blank line, the dispatch).
                let field = position - 2
                let shared = log.fieldValue(at: field) == event.data
                #expect(
                    log.dispatchedEvent(at: position, reusing: (field, "given"))?.data
                        == (shared ? "given" : event.data)
                )
                #expect(log.dispatchedEvent(at: position, reusing: (0, "given")) == event, "not a field: not reused")
            } else {
                #expect(log.dispatchedEvent(at: position) == nil)
            }
        }
        for tag in EventStreamObservation.Tag.allCases {
            let matching = log.filter { $0.kind.tag == tag }
            #expect(log.count(tag) == matching.count)
            #expect(log.observations(tag) == matching)
            #expect(log.positions(of: tag).map { log[$0] } == matching)
        }
    }

    /// A type and an ID kept once in the log's text are reused by later events until the log is taken: taken
    /// after any chunk, the next event must keep them again, or it would read bytes that are no longer there.
    @Test func takenAfterAnyChunkTheLogReadsTheSame() {
        let stream =
            "event: t\nid: 7\ndata: 1\n\nevent: t\ndata: 2\n\n: c\r" + "\nevent: t\nid: 8\ndata: 3\r\rdata: 4\n\n"
        let whole = Self.log(stream)
        #expect(whole.count(.dispatched) == 4)
        let bytes = Array(stream.utf8)
        for cut in 1..<bytes.count {
            #expect(Self.log(bytes, chunks: [cut]) == whole, "cut at \(cut)")
        }
        #expect(Self.log(bytes, chunks: Array(1..<bytes.count)) == whole, "byte by byte")
        let events = whole.compactMap { if case .dispatched(let event) = $0.kind { event } else { nil } }
        #expect(events.map(\.type) == ["t", "t", "t", "message"])
        #expect(events.map(\.lastEventId) == ["7", "7", "8", "8"])
        #expect(events.map(\.data) == ["1", "2", "3", "4"])
    }

    /// What the analysis does with logs: copy one observation at a time, join, shift.
    @Test func copiedJoinedAndShiftedLogsHoldTheSameObservations() {
        let log = Self.log(Self.everyKind)
        var copy = EventStreamObservationLog()
        for position in log.indices { copy.append(position, of: log) }
        #expect(copy == log)
        var twice = log
        Self.join(log, to: &twice)
        #expect(Array(twice) == Array(log) + Array(log))
        var shifted = log
        shifted.shiftOffsets(by: 1000)
        #expect(shifted.map(\.offset) == log.map { $0.offset + 1000 })
        #expect(shifted.map(\.kind) == log.map(\.kind))
        #expect(EventStreamObservationLog().isEmpty && EventStreamObservationLog() != log)
    }

    /// A block discarded at the limit reports nothing; the next block without data reports only its own names.
    @Test func aDiscardedBlocksNamesAreNotReportedLater() {
        let limited = EventStreamParser.Configuration(maxLineLength: 64, maxEventSize: 64, recordsObservations: true)
        for overLine in ["data: " + String(repeating: "y", count: 70), "foo: " + String(repeating: "y", count: 70)] {
            let stream = "foo: 1\n" + overLine + "\nretry: x\n\nid: 2\n\n"
            let kinds = Self.log(Array(stream.utf8), configuration: limited).map(\.kind)
            #expect(kinds.filter { $0.tag == .blockWithoutData } == [.blockWithoutData(fields: ["id"])], "\(overLine)")
        }
    }

    /// `materialized()` shares a one-line event's data with its field's value; that must not change what it reads
    /// when the data was not that field's bytes (two lines, or a line that crossed a chunk).
    @Test func materializedSharesOnlyWhatIsTheSame() {
        let stream = "data: a\n\ndata: b\ndata: c\n\ndata: long line\n\n"
        let bytes = Array(stream.utf8)
        for cut in 0..<bytes.count {
            let log = Self.log(bytes, chunks: cut == 0 ? [] : [cut])
            let events = log.materialized().compactMap { if case .dispatched(let e) = $0.kind { e.data } else { nil } }
            #expect(events == ["a", "b\nc", "long line"], "cut at \(cut)")
        }
    }
}

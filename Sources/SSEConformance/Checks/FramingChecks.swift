import ServerSentEvents

/// Sections 9.2.5 "Parsing an event stream" and 9.2.6 "Interpreting an event stream": the bytes of every stream
/// the run opened, re-read by the spec parser with observations on.
extension Catalogue {
    static let framing: [Check] = [
        Check(
            id: "framing/utf8",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "no invalid UTF-8",
            fetchStyle: .parsing,
            reference: .whatwg(
                "9.2.5 Parsing an event stream",
                anchor: "parsing-an-event-stream",
                "Event streams are always decoded as UTF-8. There is no way to specify another character encoding."
            )
        ) { context in
            Judge.every(try await context.streams(), what: "valid UTF-8", redacting: context.redacting) { stream in
                let invalid = stream.find(.invalidUTF8)
                guard let first = invalid.first, case .invalidUTF8(let length) = first.kind else { return nil }
                let bytes = stream.exchange.body[first.offset..<min(stream.exchange.body.count, first.offset + length)]
                return Judge.Violation(
                    expected: "UTF-8 text",
                    actual:
                        "\(invalid.count) invalid sequence(s), the first \(TranscriptText.escape(bytes)) at byte \(first.offset): a browser shows U+FFFD instead",
                    summary: "\(stream.exchange.label): invalid UTF-8 at byte \(first.offset)",
                    excerpt: TranscriptText.excerpt(stream.exchange, at: first.offset),
                    exchange: stream.exchange
                )
            }
        },
        Check(
            id: "framing/bom",
            level: .must,
            modes: [.passive, .scenarios],
            summary:
                "U+FEFF only as the stream's first character (a later one at a line start corrupts that line's field name)",
            fetchStyle: .parsing,
            reference: .whatwg(
                "9.2.5 Parsing an event stream",
                anchor: "parsing-an-event-stream",
                "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any."
            )
        ) { context in
            Judge.every(
                try await context.streams(),
                what: "no byte order mark after the start",
                redacting: context.redacting
            ) { stream in
                // A U+FEFF inside a field value is ordinary text the app sent. One that begins a line (a second
                // leading BOM, or one written before each event) is not stripped: the line's field name becomes
                // "\u{FEFF}data" and every client ignores the line.
                var lineStarts = Set<Int>()
                for position in stream.observations.positions(of: .line) {
                    lineStarts.insert(stream.observations.offset(at: position))
                }
                let late = stream.find(.byteOrderMark).filter {
                    $0.kind == .byteOrderMark(leading: false) && lineStarts.contains($0.offset)
                }
                guard let first = late.first else { return nil }
                return Judge.Violation(
                    expected: "at most one U+FEFF, as the very first bytes of the body",
                    actual:
                        "U+FEFF at byte \(first.offset), the start of a line: it is not stripped there, so the line's field name is not recognised and the line is ignored",
                    summary: "\(stream.exchange.label): byte order mark at byte \(first.offset)",
                    excerpt: TranscriptText.excerpt(stream.exchange, at: first.offset),
                    exchange: stream.exchange
                )
            }
        },
        Check(
            id: "framing/line-endings",
            level: .should,
            modes: [.passive, .scenarios],
            summary: "one line-end style throughout; a lone CR is legal but trips many non-browser clients",
            fetchStyle: .parsing,
            reference: .whatwg(
                "9.2.5 Parsing an event stream",
                anchor: "parsing-an-event-stream",
                "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE RETURN (CR) character."
            )
        ) { context in
            Judge.every(
                try await context.streams(),
                what: "consistent LF or CRLF line ends",
                redacting: context.redacting
            ) { stream in
                var counts: [LineTerminator: Int] = [:]
                var firstOffset: [LineTerminator: Int] = [:]
                // A CR that is the very last byte captured, in a stream we stopped listening to, is undecided: its LF
                // may be on the way (Chromium waits for the next byte too).
                let captured = stream.exchange.chunks.last.map { $0.offset + $0.bytes.count } ?? 0
                let open = stream.exchange.end != .completed
                for position in stream.observations.indices {
                    let offset = stream.observations.offset(at: position)
                    if let (length, terminator) = stream.observations.line(at: position),
                        !(open && terminator == .cr && offset + length + 1 == captured)
                    {
                        counts[terminator, default: 0] += 1
                        if firstOffset[terminator] == nil { firstOffset[terminator] = offset }
                    }
                }
                let styles = LineTerminator.allCases.filter { counts[$0] != nil }
                let tally = styles.map { "\($0.rawValue) \(counts[$0]!)" }.joined(separator: ", ")
                if let crAt = firstOffset[.cr] {
                    return Judge.Violation(
                        expected: "lines ended by LF or CRLF",
                        actual: "lone CR line ends (\(tally)); browsers accept them, many other clients do not",
                        summary: "\(stream.exchange.label): lone CR line end in the line at byte \(crAt)",
                        excerpt: TranscriptText.excerpt(stream.exchange, at: crAt),
                        exchange: stream.exchange
                    )
                }
                if styles.count > 1, let second = styles.compactMap({ firstOffset[$0] }).max() {
                    return Judge.Violation(
                        expected: "one line-end style throughout",
                        actual: "mixed line ends: \(tally)",
                        summary: "\(stream.exchange.label): line-end style changes at the line at byte \(second)",
                        excerpt: TranscriptText.excerpt(stream.exchange, at: second),
                        exchange: stream.exchange
                    )
                }
                return nil
            }
        },
        Check(
            id: "framing/known-fields",
            level: .should,
            modes: [.passive, .scenarios],
            summary: "field names are event, data, id, retry (`Data:` is ignored by every client)",
            fetchStyle: .parsing,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "Otherwise: The field is ignored."
            )
        ) { context in
            Judge.every(try await context.streams(), what: "only known field names", redacting: context.redacting) {
                stream in
                let known: Set<String> = ["event", "data", "id", "retry"]
                for block in stream.blocks {
                    if let field = block.fields.first(where: { !known.contains($0.name) }) {
                        return Judge.Violation(
                            expected: "fields named event, data, id or retry (names are case-sensitive)",
                            actual:
                                "field \(TranscriptText.escape(Array(field.name.utf8))) at byte \(field.offset): every client ignores it",
                            summary:
                                "\(stream.exchange.label): unknown field \(field.name.debugDescription) at byte \(field.offset)",
                            excerpt: TranscriptText.excerpt(stream.exchange, at: field.offset),
                            exchange: stream.exchange
                        )
                    }
                }
                return nil
            }
        },
        Check(
            id: "framing/terminated-promptly",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "no event waits for its blank line while the stream idles (grace 500 ms)",
            fetchStyle: .parsing,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "If the line is empty (a blank line): Dispatch the event, as defined below."
            )
        ) { context in
            let grace = context.configuration.terminationGrace
            return Judge.every(
                try await context.streams(),
                what: "every event's blank line arrived with it",
                redacting: context.redacting
            ) { stream in
                // Built only when an event waited, once per stream.
                var arrivals: ArrivalPattern?
                func pattern() -> ArrivalPattern {
                    if arrivals == nil { arrivals = ArrivalPattern(stream) }
                    return arrivals!
                }
                for block in stream.blocks where block.event != nil {
                    if let wait = stream.wait(of: block), wait > grace,
                        !Self.cutByRelease(pattern(), lastLine: block.lastLineEnd, blank: block.blankLine)
                    {
                        return Judge.Violation(
                            expected:
                                "the blank line that dispatches the event sent with it (within \(TranscriptText.milliseconds(grace)) ms)",
                            actual:
                                "the event's blank line came \(TranscriptText.milliseconds(wait)) ms after its last line: clients hold the event until then",
                            summary:
                                "\(stream.exchange.label): event at byte \(block.start) waited \(TranscriptText.milliseconds(wait)) ms for its blank line",
                            excerpt: TranscriptText.excerpt(stream.exchange, at: block.blankLine ?? block.lastLineEnd),
                            exchange: stream.exchange
                        )
                    }
                }
                // A block still pending when we stopped listening, after the stream sat idle past the grace.
                if stream.exchange.end == .stoppedListening, let tail = stream.unterminatedTail,
                    Self.holdsDataLine(Array(stream.exchange.body.dropFirst(tail.offset))),
                    !Self.cutByRelease(pattern(), lastLine: tail.offset, blank: nil),
                    let lastByteTime = stream.exchange.chunks.last?.time
                {
                    let idle = stream.exchange.endTime - lastByteTime
                    if idle > grace {
                        return Judge.Violation(
                            expected:
                                "every event followed by its blank line (within \(TranscriptText.milliseconds(grace)) ms)",
                            actual:
                                "an event without its blank line sat \(TranscriptText.milliseconds(idle)) ms until we stopped listening: no client dispatched it",
                            summary: "\(stream.exchange.label): event at byte \(tail.offset) never got its blank line",
                            excerpt: TranscriptText.excerpt(stream.exchange, at: tail.offset),
                            exchange: stream.exchange
                        )
                    }
                }
                return nil
            }
        },
        Check(
            id: "framing/terminated-before-close",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "when the response ends, no unterminated event is pending",
            fetchStyle: .endOfStream,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "If the file ends in the middle of an event, before the final empty line, the incomplete event is not dispatched."
            )
        ) { context in
            let ended = try await context.endedStreams()
            guard !ended.isEmpty else {
                return .notApplicable(reason: CheckContext.endlessReason)
            }
            return Judge.every(ended, what: "nothing pending at the end", redacting: context.redacting) { stream in
                guard let tail = stream.unterminatedTail else { return nil }
                return Judge.Violation(
                    expected: "the last event terminated by a blank line before the response ends",
                    actual:
                        "the response ended with \(tail.length) byte(s) of an unterminated event: it is discarded, never dispatched",
                    summary:
                        "\(stream.exchange.label): \(tail.length) bytes pending at byte \(tail.offset) when the response ended: "
                        + TranscriptText.escape(stream.exchange.body.dropFirst(tail.offset).prefix(96))
                        + (tail.length > 96 ? " (first 96 bytes)" : ""),
                    excerpt: TranscriptText.excerpt(
                        stream.exchange,
                        at: tail.offset,
                        before: 0,
                        after: min(tail.length, 96)
                    ),
                    exchange: stream.exchange
                )
            }
        },
        Check(
            id: "framing/dispatchable-blocks",
            level: .should,
            modes: [.passive, .scenarios],
            summary: "a block that sets event also carries data; id-only or retry-only blocks are fine",
            fetchStyle: .parsing,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty string and return."
            )
        ) { context in
            Judge.every(
                try await context.streams(),
                what: "every typed block carries data",
                redacting: context.redacting
            ) { stream in
                for block in stream.blocks where block.blankLine != nil {
                    let names = block.fields.map(\.name)
                    if names.contains("event") && !names.contains("data") {
                        let type = block.fields.last { $0.name == "event" }!.value
                        return Judge.Violation(
                            expected: "an event: line followed by at least one data: line",
                            actual:
                                "a block with event \(type.debugDescription) and no data (fields: \(names.joined(separator: ", "))): nothing is dispatched",
                            summary: "\(stream.exchange.label): undispatchable block at byte \(block.start)",
                            excerpt: TranscriptText.excerpt(stream.exchange, at: block.start, before: 0, after: 96),
                            exchange: stream.exchange
                        )
                    }
                }
                return nil
            }
        },
        Check(
            id: "framing/id-no-null",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "no U+0000 in id values",
            fetchStyle: .parsing,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "If the field value does not contain U+0000 NULL, then set the last event ID buffer to the field value. Otherwise, ignore the field."
            )
        ) { context in
            Judge.every(try await context.streams(), what: "no NUL in ids", redacting: context.redacting) { stream in
                guard let first = stream.find(.idWithNull).first,
                    case .idWithNull(let value) = first.kind
                else { return nil }
                return Judge.Violation(
                    expected: "id values without U+0000",
                    actual:
                        "id \(TranscriptText.escape(Array(value.utf8))) holds NUL: clients ignore it and resume from an older id",
                    summary: "\(stream.exchange.label): id with NUL at byte \(first.offset)",
                    excerpt: TranscriptText.excerpt(stream.exchange, at: first.offset),
                    exchange: stream.exchange
                )
            }
        },
        Check(
            id: "framing/retry-digits",
            level: .must,
            modes: [.passive, .scenarios],
            summary: "retry values are one or more ASCII digits",
            fetchStyle: .parsing,
            reference: .whatwg(
                "9.2.6 Interpreting an event stream",
                anchor: "event-stream-interpretation",
                "If the field value consists of only ASCII digits, then interpret the field value as an integer in base ten, and set the event stream's reconnection time to that integer. Otherwise, ignore the field."
            )
        ) { context in
            Judge.every(try await context.streams(), what: "well-formed retry values", redacting: context.redacting) {
                stream in
                guard let first = stream.find(.invalidRetry).first,
                    case .invalidRetry(let value) = first.kind
                else { return nil }
                return Judge.Violation(
                    expected: "retry: followed by ASCII digits only (milliseconds)",
                    actual:
                        "retry \(TranscriptText.escape(Array(value.utf8))): browsers ignore it and keep their reconnection time",
                    summary: "\(stream.exchange.label): retry value that is not digits at byte \(first.offset)",
                    excerpt: TranscriptText.excerpt(stream.exchange, at: first.offset),
                    exchange: stream.exchange
                )
            }
        },
        noFieldInjection,
    ]

    /// Whether some line of `bytes` (complete or not) is a `data` field: an event in the making.
    static func holdsDataLine(_ bytes: [UInt8]) -> Bool {
        var lineStart = true
        for (index, byte) in bytes.enumerated() {
            if lineStart && bytes[index...].starts(with: Array("data".utf8)) {
                let after = index + 4
                if after == bytes.count || bytes[after] == UInt8(ascii: ":") || bytes[after] == 0x0A
                    || bytes[after] == 0x0D
                {
                    return true
                }
            }
            lineStart = byte == 0x0A || byte == 0x0D
        }
        return false
    }
}

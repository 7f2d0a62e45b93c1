/// The WHATWG event-stream parser: bytes in, dispatched events out.
///
/// Implements HTML §9.2.5 "Parsing an event stream" and §9.2.6 "Interpreting an event stream" exactly,
/// incrementally over chunks of any size (chunk boundaries carry no meaning: a CRLF or a UTF-8 sequence split
/// across two chunks is handled as if it had arrived whole). It is a synchronous value type with no I/O; the
/// client, the conformance checks and the benchmarks share it.
///
/// With `Configuration.recordsObservations` off (the default) the parser only dispatches events; that is the
/// fast path. With it on, it also records every line, field, comment, BOM, invalid UTF-8 sequence and so on,
/// each with its byte offset (see ``EventStreamObservation``), which is what the conformance checks read.
///
/// Memory is bounded: a line longer than `maxLineLength`, or event data larger than `maxEventSize`, is reported
/// as an ``EventStreamError`` and the whole block it belongs to is discarded.
public struct EventStreamParser: Sendable {
    /// Limits and switches.
    public struct Configuration: Sendable, Hashable {
        /// The longest line, in bytes without its terminator, the parser buffers. Default 1 MiB.
        public var maxLineLength: Int
        /// The largest event data, in bytes, the parser buffers. Default 1 MiB.
        public var maxEventSize: Int
        /// Record ``EventStreamObservation``s. Off by default (the fast path).
        public var recordsObservations: Bool

        /// Creates a configuration.
        public init(maxLineLength: Int = 1 << 20, maxEventSize: Int = 1 << 20, recordsObservations: Bool = false) {
            precondition(maxLineLength > 0 && maxEventSize > 0, "parser limits must be positive")
            self.maxLineLength = maxLineLength
            self.maxEventSize = maxEventSize
            self.recordsObservations = recordsObservations
        }
    }

    /// What parsing a chunk produces.
    public enum Output: Sendable, Hashable {
        /// An event was dispatched.
        case event(ServerSentEvent)
        /// A line or an event was over the limit; its block is discarded.
        case error(EventStreamError)
    }

    /// The limits and switches this parser was made with.
    public let configuration: Configuration
    /// The event source's last event ID string: set at each dispatch from the last-event-ID buffer. This is what
    /// a reconnecting client sends as `Last-Event-ID`.
    public internal(set) var lastEventId: String
    /// The reconnection time in milliseconds set by the last valid `retry` field, or nil if none was seen.
    /// It is applied when the line is read, so it holds even if the block never ends.
    public internal(set) var reconnectionTime: Int?
    /// Bytes of the current stream consumed so far (the offset of the next byte).
    public internal(set) var offset: Int = 0

    // Line assembly across chunks.
    var partial: [UInt8] = []
    var skipLeadingLF = false
    var overflowingLine = false
    var atStreamStart = true
    // Block state (the spec's buffers).
    var dataBuffer: [UInt8] = []
    var typeBuffer: [UInt8] = []
    var idBuffer: [UInt8]
    var idBufferIsDirty = false
    var discardingBlock = false
    var cachedTypeBytes: [UInt8] = []
    // The fast path for the common one-`data`-line event: the value stays in the caller's chunk (address and
    // count) until its blank line, instead of being copied into `dataBuffer`. Only valid during one `parse`
    // call: anything still pending when it returns is copied (`flushPendingData`). -1: nothing pending.
    var pendingDataAddress: UInt = 0
    var pendingDataCount = -1
    var cachedType = "message"
    // Observation-only state.
    var observationLog = EventStreamObservationLog()
    // The log last handed out by takeObservationLog(), kept for reuse.
    var recycledLog = EventStreamObservationLog()
    // The names of the current block's fields, each followed by an LF, while it has no data.
    var blockFieldNames: [UInt8] = []
    var blockStart: Int?
    var lastLineObservation: Int?
    // Where the log's text holds the pending data value (observations on), and the current type and last event
    // ID when they were kept since the log was last taken (-1: not kept).
    var pendingDataTextStart = 0
    var typeTextStart = -1
    var idTextStart = -1

    /// Creates a parser.
    ///
    /// - Parameter lastEventId: the event source's last event ID from an earlier connection. The spec gives each
    ///   parsed stream fresh buffers; like browsers, we seed the last-event-ID buffer with the source's value so
    ///   that events on a reconnection that carry no `id` keep the ID they resumed from.
    public init(configuration: Configuration = Configuration(), lastEventId: String = "") {
        self.configuration = configuration
        self.lastEventId = lastEventId
        self.idBuffer = Array(lastEventId.utf8)
        dataBuffer.reserveCapacity(256)
    }

    /// The observations recorded since the last call, in stream order, as they are recorded (no `String` made:
    /// see ``EventStreamObservationLog``); clears them.
    ///
    /// A line that ended with a CR at the very end of the last chunk is held back (with what followed it) until
    /// the next chunk says whether an LF completes a CRLF, so a taken line observation never changes afterwards.
    ///
    /// The parser keeps a reference to the log it returns until the next call, to reuse its storage then if the
    /// caller has dropped it.
    public mutating func takeObservationLog() -> EventStreamObservationLog {
        // The log's text is handed out: what the parser kept in it is no longer there.
        typeTextStart = -1
        idTextStart = -1
        if skipLeadingLF, let index = lastLineObservation {
            var taken = observationLog
            taken.records.removeLast(taken.records.count - index)
            var held = EventStreamObservationLog()
            for position in index..<observationLog.count { held.append(position, of: observationLog) }
            observationLog = held
            lastLineObservation = 0
            return taken
        }
        lastLineObservation = nil
        // The log handed out last time is reused when the caller has let go of it (emptied in place), so a caller
        // that takes after every chunk does not make the parser allocate, and first touch, a new log each time; if
        // the caller still holds it, emptying it makes new buffers of the same capacity.
        let taken = observationLog
        recycledLog.removeAll()
        swap(&observationLog, &recycledLog)
        recycledLog = taken
        return taken
    }

    /// The observations recorded since the last call, each made into an ``EventStreamObservation``; clears them.
    /// ``takeObservationLog()`` gives the same without making their Strings.
    public mutating func takeObservations() -> [EventStreamObservation] {
        takeObservationLog().materialized()
    }

    /// The observations recorded and not yet taken.
    public var observations: [EventStreamObservation] { observationLog.materialized() }

    /// Parses a chunk of the stream, calling `body` for every dispatched event and every limit error, in order.
    ///
    /// Every event is a ``ServerSentEvent``: its data is decoded into a new `String` (invalid UTF-8 replaced with
    /// U+FFFD). A consumer that does not keep a `String` per event can use ``parse(_:events:errors:)`` instead,
    /// which runs the same parser and hands out the data bytes in place.
    public mutating func parse(_ chunk: UnsafeRawBufferPointer, _ body: (Output) throws -> Void) rethrows {
        try parseChunk(
            chunk,
            events: { view in try body(.event(view.makeEvent())) },
            errors: { error in try body(.error(error)) }
        )
    }

    /// Parses a chunk of the stream, calling `events` with a borrowed view of every dispatched event and `errors`
    /// for every limit error, in stream order. The zero-copy path: nothing is allocated per event.
    ///
    /// This is the same parser as ``parse(_:_:)`` (one implementation; the events, errors, last event ID,
    /// reconnection time and observations are the same, however the stream is chunked). The view's
    /// ``EventView/data`` points into the chunk or into the parser's buffer and is valid only during the call;
    /// ``EventView/makeEvent()`` gives the ``ServerSentEvent`` that `parse(_:_:)` dispatches.
    ///
    /// ```swift
    /// parser.parse(chunk) { event in
    ///     if event.type == "message" { try consume(event.data) }  // e.g. bytes straight into a JSON decoder
    /// } errors: { error in
    ///     log(error)  // a line or event over the limit; its block was discarded
    /// }
    /// ```
    public mutating func parse(
        _ chunk: UnsafeRawBufferPointer,
        events: (borrowing EventView) throws -> Void,
        errors: (EventStreamError) throws -> Void
    ) rethrows {
        try parseChunk(chunk, events: events, errors: errors)
    }

    /// What the core hands each dispatched event to.
    typealias Dispatch = (borrowing EventView) throws -> Void

    /// The one implementation behind both `parse` methods.
    @inline(__always)
    mutating func parseChunk(
        _ chunk: UnsafeRawBufferPointer,
        events onEvent: Dispatch,
        errors onError: (EventStreamError) throws -> Void
    ) rethrows {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        // A data value may wait in this chunk for its blank line; it must not outlive the chunk, even if a
        // callback throws.
        defer { flushPendingData() }
        let n = chunk.count
        let chunkOffset = offset
        var i = 0
        if skipLeadingLF {
            skipLeadingLF = false
            if base.load(as: UInt8.self) == lf {
                i = 1
                if let index = lastLineObservation, observationLog.records[index].tag == .line {
                    observationLog.records[index].flag = EventStreamObservationLog.flag(.crlf)
                }
            }
        }
        while i < n {
            let j = Self.findLineEnd(base, from: i, to: n)
            if overflowingLine {
                guard j < n else { break }
                overflowingLine = false
                i = consumeTerminator(base, at: j, count: n)
                continue
            }
            if j == n {
                // No terminator in this chunk: keep the line's start for the next chunk, within the limit.
                let pending = partial.count + (n - i)
                if pending > configuration.maxLineLength {
                    let lineStart = chunkOffset + i - partial.count
                    partial.removeAll(keepingCapacity: false)
                    overflowingLine = true
                    atStreamStart = false
                    try onError(overLimit(.lineTooLong, at: lineStart, limit: configuration.maxLineLength))
                } else {
                    partial.append(contentsOf: UnsafeRawBufferPointer(start: base + i, count: n - i))
                }
                break
            }
            let next = consumeTerminator(base, at: j, count: n)
            let terminator: LineTerminator =
                base.load(fromByteOffset: j, as: UInt8.self) == lf ? .lf : (next == j + 2 ? .crlf : .cr)
            if partial.isEmpty {
                let lineOffset = chunkOffset + i
                if j - i > configuration.maxLineLength {
                    atStreamStart = false
                    try onError(overLimit(.lineTooLong, at: lineOffset, limit: configuration.maxLineLength))
                } else {
                    try processLine(
                        base + i,
                        count: j - i,
                        offset: lineOffset,
                        terminator: terminator,
                        inChunk: true,
                        onEvent,
                        onError
                    )
                }
            } else {
                let lineOffset = chunkOffset + i - partial.count
                if partial.count + (j - i) > configuration.maxLineLength {
                    partial.removeAll(keepingCapacity: false)
                    atStreamStart = false
                    try onError(overLimit(.lineTooLong, at: lineOffset, limit: configuration.maxLineLength))
                } else {
                    partial.append(contentsOf: UnsafeRawBufferPointer(start: base + i, count: j - i))
                    var line: [UInt8] = []
                    swap(&line, &partial)
                    try line.withUnsafeBytes { bytes in
                        try processLine(
                            bytes.baseAddress!,
                            count: bytes.count,
                            offset: lineOffset,
                            terminator: terminator,
                            inChunk: false,
                            onEvent,
                            onError
                        )
                    }
                    line.removeAll(keepingCapacity: true)
                    swap(&line, &partial)
                }
            }
            i = next
        }
        offset = chunkOffset + n
    }

    /// Ends the current stream: a block or line that was not terminated is discarded, as the spec requires
    /// ("If the file ends in the middle of an event, before the final empty line, the incomplete event is not
    /// dispatched."). The last event ID and reconnection time are kept; the parser is ready for the next stream
    /// of the same source (a reconnection), whose offsets start again at 0.
    ///
    /// - Returns: the number of bytes discarded (only counted when observations are recorded, else 0 or 1 for
    ///   "something was pending").
    @discardableResult
    public mutating func finish() -> Int {
        var discarded = 0
        let pendingLine = !partial.isEmpty || overflowingLine
        let pendingBlock = !dataBuffer.isEmpty || !typeBuffer.isEmpty || blockStart != nil || discardingBlock
        if pendingLine || pendingBlock {
            if configuration.recordsObservations {
                let start = blockStart ?? (offset - partial.count)
                discarded = offset - start
                observationLog.record(start, .unterminatedTail, a: discarded)
            } else {
                discarded = 1
            }
        }
        partial.removeAll(keepingCapacity: true)
        dataBuffer.removeAll(keepingCapacity: true)
        typeBuffer.removeAll(keepingCapacity: true)
        idBuffer = Array(lastEventId.utf8)
        idBufferIsDirty = false
        skipLeadingLF = false
        overflowingLine = false
        discardingBlock = false
        atStreamStart = true
        blockFieldNames.removeAll()
        blockStart = nil
        lastLineObservation = nil
        offset = 0
        return discarded
    }
}

let lf: UInt8 = 0x0A
let cr: UInt8 = 0x0D
let colon: UInt8 = 0x3A
let space: UInt8 = 0x20

extension EventStreamParser {
    /// Index of the first CR or LF in `base[from..<to]`, or `to`. Scans sixteen bytes at a time.
    ///
    /// The word test flags bytes below 0x0E (CR is 0x0D, LF 0x0A) with three operations per word instead of two
    /// exact compares; the lowest flagged byte is exact (borrows only run upward), and when it is another control
    /// byte (a TAB, say) the scan goes on after it. (memchr for LF, with the next CR found once, runs fewer
    /// instructions on ~100-byte lines but was ~15% slower in wall time here: a library call per line.)
    @inline(__always)
    static func findLineEnd(_ base: UnsafeRawPointer, from: Int, to end: Int) -> Int {
        var i = from
        let below: UInt64 = 0x0E0E_0E0E_0E0E_0E0E
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i &+ 16 <= end {
            let a = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let b = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self))
            let flaggedA = (a &- below) & ~a & highs
            let flaggedB = (b &- below) & ~b & highs
            if flaggedA | flaggedB == 0 {
                i &+= 16
                continue
            }
            let at =
                flaggedA != 0
                ? i &+ (flaggedA.trailingZeroBitCount &>> 3) : i &+ 8 &+ (flaggedB.trailingZeroBitCount &>> 3)
            let byte = base.load(fromByteOffset: at, as: UInt8.self)
            if byte == lf || byte == cr { return at }
            i = at &+ 1
        }
        while i < end {
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            if byte == lf || byte == cr { return i }
            i &+= 1
        }
        return end
    }

    /// The index after the terminator at `j`. A CR that is the chunk's last byte may be the first half of a CRLF:
    /// remember to drop an LF that starts the next chunk.
    @inline(__always)
    mutating func consumeTerminator(_ base: UnsafeRawPointer, at j: Int, count n: Int) -> Int {
        if base.load(fromByteOffset: j, as: UInt8.self) == lf { return j &+ 1 }
        if j &+ 1 < n {
            return base.load(fromByteOffset: j &+ 1, as: UInt8.self) == lf ? j &+ 2 : j &+ 1
        }
        skipLeadingLF = true
        return n
    }

    mutating func overLimit(_ kind: EventStreamError.Kind, at offset: Int, limit: Int) -> EventStreamError {
        let error = EventStreamError(kind: kind, offset: offset, limit: limit)
        // The block this line belongs to is discarded as a whole, up to and including its blank line.
        pendingDataCount = -1
        dataBuffer.removeAll(keepingCapacity: true)
        typeBuffer.removeAll(keepingCapacity: true)
        discardingBlock = true
        lastLineObservation = nil
        if configuration.recordsObservations {
            // A discarded block reports no field names.
            blockFieldNames.removeAll(keepingCapacity: true)
            observationLog.record(offset, .limitExceeded, flag: kind == .lineTooLong ? 0 : 1, a: limit)
            if blockStart == nil { blockStart = offset }
        }
        return error
    }

    /// Interprets one complete line (without its terminator).
    @inline(__always)
    mutating func processLine(
        _ start: UnsafeRawPointer,
        count: Int,
        offset lineOffset: Int,
        terminator: LineTerminator,
        inChunk: Bool,
        _ onEvent: Dispatch,
        _ onError: (EventStreamError) throws -> Void
    ) rethrows {
        var line = start
        var length = count
        var lineOffset = lineOffset
        if atStreamStart {
            atStreamStart = false
            // "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
            if length >= 3, line.load(as: UInt8.self) == 0xEF, line.load(fromByteOffset: 1, as: UInt8.self) == 0xBB,
                line.load(fromByteOffset: 2, as: UInt8.self) == 0xBF
            {
                if configuration.recordsObservations {
                    observationLog.record(lineOffset, .byteOrderMark, flag: 1)
                }
                line += 3
                length -= 3
                lineOffset += 3
            }
        }
        if configuration.recordsObservations {
            observeLine(line, count: length, offset: lineOffset, terminator: terminator)
        }
        // "If the line is empty (a blank line): Dispatch the event."
        if length == 0 {
            try dispatch(at: lineOffset, onEvent)
            return
        }
        let first = line.load(as: UInt8.self)
        // "If the line starts with a U+003A COLON character (:): Ignore the line."
        if first == colon {
            if configuration.recordsObservations {
                let start = observationLog.keep(UnsafeRawBufferPointer(start: line + 1, count: length - 1))
                observationLog.record(lineOffset, .comment, c: start, d: length - 1)
            }
            return
        }
        // "If the line contains a U+003A COLON character (:): Collect the characters on the line before the
        // first U+003A COLON character (:), and let field be that string. Collect the characters on the line
        // after the first U+003A COLON character (:), and let value be that string. If value starts with a
        // U+0020 SPACE character, remove it from value."
        // "Otherwise, the string is not empty but does not contain a U+003A COLON character (:): ... using the
        // whole line as the field name, and the empty string as the field value."
        var nameLength = 1
        while nameLength < length && line.load(fromByteOffset: nameLength, as: UInt8.self) != colon {
            nameLength &+= 1
        }
        var valueStart = nameLength
        if valueStart < length {
            valueStart &+= 1
            if valueStart < length && line.load(fromByteOffset: valueStart, as: UInt8.self) == space {
                valueStart &+= 1
            }
        }
        let value = UnsafeRawBufferPointer(start: line + valueStart, count: length - valueStart)
        let field = Field(line, nameLength: nameLength)
        // Observations on: where the log's text holds the value.
        var valueTextStart = 0
        if configuration.recordsObservations {
            valueTextStart = observeField(field, line, nameLength: nameLength, value: value, offset: lineOffset)
        }
        if discardingBlock { return }
        switch field {
        case .data:
            // "Append the field value to the data buffer, then append a single U+000A LINE FEED (LF) character."
            if inChunk && pendingDataCount < 0 && dataBuffer.isEmpty && value.count &+ 1 <= configuration.maxEventSize {
                pendingDataAddress = UInt(bitPattern: value.baseAddress)
                pendingDataCount = value.count
                pendingDataTextStart = valueTextStart
                return
            }
            flushPendingData()
            if dataBuffer.count &+ value.count &+ 1 > configuration.maxEventSize {
                try onError(overLimit(.eventTooLarge, at: lineOffset, limit: configuration.maxEventSize))
                return
            }
            dataBuffer.append(contentsOf: value)
            dataBuffer.append(lf)
        case .event:
            // "Set the event type buffer to field value."
            typeBuffer.removeAll(keepingCapacity: true)
            typeBuffer.append(contentsOf: value)
        case .id:
            // "If the field value does not contain U+0000 NULL, then set the last event ID buffer to the field
            // value. Otherwise, ignore the field."
            if value.contains(0) {
                if configuration.recordsObservations {
                    observationLog.record(lineOffset, .idWithNull, c: observationLog.keep(value), d: value.count)
                }
            } else {
                idBuffer.removeAll(keepingCapacity: true)
                idBuffer.append(contentsOf: value)
                idBufferIsDirty = true
            }
        case .retry:
            // "If the field value consists of only ASCII digits, then interpret the field value as an integer in
            // base ten, and set the event stream's reconnection time to that integer. Otherwise, ignore the field."
            if let milliseconds = Self.parseDigits(value) {
                reconnectionTime = milliseconds
                if configuration.recordsObservations {
                    observationLog.record(lineOffset, .retry, a: milliseconds)
                }
            } else if configuration.recordsObservations {
                observationLog.record(lineOffset, .invalidRetry, c: observationLog.keep(value), d: value.count)
            }
        case .other:
            // "Otherwise: The field is ignored."
            break
        }
    }

    /// The dispatch step of §9.2.6, run at a blank line.
    @inline(__always)
    mutating func dispatch(at lineOffset: Int, _ onEvent: Dispatch) rethrows {
        // "1. Set the last event ID string of the event source to the value of the last event ID buffer. The
        // buffer does not get reset, so the last event ID string of the event source remains set to this value
        // until the next time it is set by the server."
        if idBufferIsDirty {
            idBufferIsDirty = false
            lastEventId = String(decoding: idBuffer, as: UTF8.self)
            idTextStart = -1
        }
        // The block's field names are already dropped unless it has no data (a data field or a discarded block
        // drops them); a block without data records and drops them below.
        if configuration.recordsObservations { blockStart = nil }
        if discardingBlock {
            discardingBlock = false
            pendingDataCount = -1
            dataBuffer.removeAll(keepingCapacity: true)
            typeBuffer.removeAll(keepingCapacity: true)
            return
        }
        // "2. If the data buffer is an empty string, set the data buffer and the event type buffer to the empty
        // string and return."
        if dataBuffer.isEmpty && pendingDataCount < 0 {
            typeBuffer.removeAll(keepingCapacity: true)
            if configuration.recordsObservations {
                // The block's field names, each followed by an LF: kept without the last one.
                let count = max(0, blockFieldNames.count - 1)
                let start = blockFieldNames.withUnsafeBytes {
                    observationLog.keep(UnsafeRawBufferPointer(rebasing: $0.prefix(count)))
                }
                observationLog.record(lineOffset, .blockWithoutData, c: start, d: count)
                if !blockFieldNames.isEmpty { blockFieldNames.removeAll(keepingCapacity: true) }
            }
            return
        }
        // "5. Initialize event's type attribute to "message" ... If the event type buffer has a value other than
        // the empty string, change the type of the newly created event to equal the value of the event type
        // buffer." `cachedType` is the type for the bytes in `cachedTypeBytes` (empty: "message"), so a stream
        // that repeats its types makes no String per event.
        if !(typeBuffer.isEmpty && cachedTypeBytes.isEmpty) {
            if typeBuffer != cachedTypeBytes {
                cachedTypeBytes = typeBuffer
                cachedType = typeBuffer.isEmpty ? "message" : String(decoding: typeBuffer, as: UTF8.self)
                typeTextStart = -1
            }
            typeBuffer.removeAll(keepingCapacity: true)
        }
        // "3. If the data buffer's last character is a U+000A LINE FEED (LF) character, then remove the last
        // character from the data buffer."
        if pendingDataCount >= 0 {
            // One data line, still in the chunk: no trailing LF was ever appended.
            let data = UnsafeRawBufferPointer(
                start: UnsafeRawPointer(bitPattern: pendingDataAddress),
                count: pendingDataCount
            )
            pendingDataCount = -1
            if configuration.recordsObservations {
                // The field observation kept this value: the event's data is the same bytes.
                observeDispatch(at: lineOffset, dataStart: pendingDataTextStart, dataCount: data.count)
            }
            try deliver(data: data, onEvent)
        } else {
            // The buffer is handed out in place; it is emptied after the call, even if that throws.
            var buffer: [UInt8] = []
            swap(&buffer, &dataBuffer)
            defer {
                buffer.removeAll(keepingCapacity: true)
                swap(&buffer, &dataBuffer)
            }
            try buffer.withUnsafeBytes { bytes in
                let data = UnsafeRawBufferPointer(rebasing: bytes.dropLast())
                if configuration.recordsObservations {
                    observeDispatch(at: lineOffset, dataStart: observationLog.keep(data), dataCount: data.count)
                }
                try deliver(data: data, onEvent)
            }
        }
    }

    /// Calls `onEvent` with a view of the event. The view borrows the parser's Strings through pointers valid for
    /// the call, so handing it out costs no reference counting.
    @inline(__always)
    mutating func deliver(data: UnsafeRawBufferPointer, _ onEvent: Dispatch) rethrows {
        try withUnsafePointer(to: &cachedType) { type in
            try withUnsafePointer(to: &lastEventId) { lastEventId in
                try onEvent(EventView(type: type, data: data, lastEventId: lastEventId))
            }
        }
    }

    /// Observations on: records the dispatched event. Its data is already in the log's text; its type and last
    /// event ID are kept there once for as long as they stay the same.
    @inline(__always)
    mutating func observeDispatch(at lineOffset: Int, dataStart: Int, dataCount: Int) {
        var typeCount = -1
        if !cachedTypeBytes.isEmpty {
            typeCount = cachedTypeBytes.count
            if typeTextStart < 0 {
                typeTextStart = cachedTypeBytes.withUnsafeBytes { observationLog.keep($0) }
            }
        }
        if idTextStart < 0 && !idBuffer.isEmpty {
            idTextStart = idBuffer.withUnsafeBytes { observationLog.keep($0) }
        }
        observationLog.record(
            lineOffset,
            .dispatched,
            a: typeTextStart,
            b: typeCount,
            c: dataStart,
            d: dataCount,
            e: idTextStart,
            f: idBuffer.count
        )
    }

    /// Records a field line: its name (the four the spec acts on by a code, any other as text) and its value; returns
    /// where the log's text holds the value. The block's field names are kept only while it has no data, the one
    /// case that reports them.
    @inline(__always)
    mutating func observeField(
        _ field: Field,
        _ line: UnsafeRawPointer,
        nameLength: Int,
        value: UnsafeRawBufferPointer,
        offset lineOffset: Int
    ) -> Int {
        let name = UnsafeRawBufferPointer(start: line, count: nameLength)
        let nameStart = field == .other ? observationLog.keep(name) : 0
        let valueStart = observationLog.keep(value)
        observationLog.record(
            lineOffset,
            .field,
            flag: field.rawValue,
            a: nameStart,
            b: field == .other ? nameLength : 0,
            c: valueStart,
            d: value.count
        )
        if blockStart == nil { blockStart = lineOffset }
        if field == .data {
            if !blockFieldNames.isEmpty { blockFieldNames.removeAll(keepingCapacity: true) }
        } else if !(pendingDataCount >= 0 || !dataBuffer.isEmpty || discardingBlock) {
            blockFieldNames.append(contentsOf: name)
            blockFieldNames.append(lf)
        }
        return valueStart
    }

    /// Copies a data value still pending in the caller's chunk into `dataBuffer` (with its LF), before the chunk
    /// goes away or a second data line joins it.
    @inline(__always)
    mutating func flushPendingData() {
        guard pendingDataCount >= 0 else { return }
        dataBuffer.append(
            contentsOf: UnsafeRawBufferPointer(
                start: UnsafeRawPointer(bitPattern: pendingDataAddress),
                count: pendingDataCount
            )
        )
        dataBuffer.append(lf)
        pendingDataCount = -1
    }

    /// One or more ASCII digits as an integer (saturating), else nil.
    static func parseDigits(_ value: UnsafeRawBufferPointer) -> Int? {
        guard !value.isEmpty else { return nil }
        var result = 0
        var overflowed = false
        for byte in value {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            if !overflowed {
                let (times10, o1) = result.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(byte &- 0x30))
                if o1 || o2 { overflowed = true } else { result = sum }
            }
        }
        return overflowed ? Int.max : result
    }
}

/// The four field names the spec acts on, recognised by length and a 4-byte load.
enum Field: UInt8 {
    // The raw value is the name's code in an observation record.
    case other = 0
    case data, event, id, retry

    /// The name, nil for `other`.
    var name: String? {
        switch self {
        case .data: "data"
        case .event: "event"
        case .id: "id"
        case .retry: "retry"
        case .other: nil
        }
    }

    @inline(__always)
    init(_ line: UnsafeRawPointer, nameLength: Int) {
        switch nameLength {
        case 4:
            self = line.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6174_6164) ? .data : .other  // "data"
        case 2:
            self = line.loadUnaligned(as: UInt16.self) == UInt16(littleEndian: 0x6469) ? .id : .other  // "id"
        case 5:
            let head = line.loadUnaligned(as: UInt32.self)
            let last = line.load(fromByteOffset: 4, as: UInt8.self)
            if head == UInt32(littleEndian: 0x6E65_7665) && last == 0x74 {  // "event"
                self = .event
            } else if head == UInt32(littleEndian: 0x7274_6572) && last == 0x79 {  // "retry"
                self = .retry
            } else {
                self = .other
            }
        default:
            self = .other
        }
    }
}

import ServerSentEvents

/// An exchange's body re-read by the spec parser with observations on, with each event and block tied to the
/// byte offsets and arrival times the checks judge.
public struct StreamAnalysis: Sendable {
    /// A block of lines up to its blank line (or the end of the stream).
    public struct Block: Sendable, Hashable {
        /// Offset of the block's first line.
        public var start: Int
        /// The fields in order: (name, value, offset).
        public var fields: [(name: String, value: String, offset: Int)]
        /// Offset of the terminator of the block's last non-blank line.
        public var lastLineEnd: Int
        /// Offset of the blank line that ended the block, nil if the stream ended first.
        public var blankLine: Int?
        /// The event it dispatched, if any.
        public var event: ServerSentEvent?
        /// Line terminators used by the block's lines (including its blank line).
        public var terminators: [LineTerminator]

        public static func == (lhs: Block, rhs: Block) -> Bool {
            lhs.start == rhs.start && lhs.blankLine == rhs.blankLine && lhs.event == rhs.event
                && lhs.fields.map(\.name) == rhs.fields.map(\.name)
                && lhs.fields.map(\.value) == rhs.fields.map(\.value)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(start)
            hasher.combine(blankLine)
        }
    }

    /// The exchange analysed.
    public var exchange: Exchange
    /// Every observation of the body, in order, as the parser recorded them (``EventStreamObservationLog``: read
    /// ``EventStreamObservationLog/tag(at:)`` before making an observation's Strings).
    public var observations: EventStreamObservationLog
    /// Blocks that held at least one field, in order (comment-only runs and lone blank lines are left out).
    public var blocks: [Block]
    /// The events dispatched, in order.
    public var events: [ServerSentEvent]
    /// Over-limit errors.
    public var errors: [EventStreamError]
    /// The source's last event ID at the end.
    public var lastEventId: String
    /// The reconnection time set by the stream, if any.
    public var reconnectionTime: Int?
    /// The unterminated tail at the end of the body: (offset, length), if any.
    public var unterminatedTail: (offset: Int, length: Int)?

    /// Parses the exchange's body. Offsets are the body's own (`Exchange.arrival(ofByte:)` finds their arrival).
    ///
    /// When the middle of a long body was not kept (the transcript limit), the bytes after the gap do not continue
    /// the bytes before it: joined, the two halves of cut lines would make lines the server never sent (a field
    /// named `evxx`...). So the parse stops at the gap (a line or block still open there is dropped) and starts
    /// again after it, from the first blank line that follows a non-empty line: that block's start was not kept,
    /// so it is not judged either. The stream's end (an unterminated tail) is judged as received.
    ///
    /// The parser records its observations without making Strings; the analysis makes the ones it keeps (each
    /// block's field names and values, and each event, whose data shares the String of a block's one data line).
    public init(_ exchange: Exchange, maxLineLength: Int = 1 << 20) {
        self.exchange = exchange
        let configuration = EventStreamParser.Configuration(
            maxLineLength: maxLineLength,
            maxEventSize: max(maxLineLength, 1 << 20),
            recordsObservations: true
        )
        // The kept chunks, split into runs of contiguous bytes.
        var runs: [[BodyChunk]] = []
        for chunk in exchange.chunks {
            if let last = runs.last?.last, last.offset + last.bytes.count == chunk.offset {
                runs[runs.count - 1].append(chunk)
            } else {
                runs.append([chunk])
            }
        }
        var observations = EventStreamObservationLog()
        var errors: [EventStreamError] = []
        var lastEventId = ""
        var reconnectionTime: Int?
        // Where each run's judged observations begin in `observations` (a block open across it is dropped).
        var cuts: [Int] = []
        for (index, run) in runs.enumerated() {
            var parser = EventStreamParser(configuration: configuration, lastEventId: lastEventId)
            for chunk in run {
                chunk.bytes.withUnsafeBytes { bytes in
                    // The events are read from the observations below.
                    parser.parse(bytes) { _ in
                    } errors: { error in
                        errors.append(error)
                    }
                }
            }
            let isLast = index == runs.count - 1
            if isLast { parser.finish() }
            var log = parser.takeObservationLog()
            log.shiftOffsets(by: run.first?.offset ?? 0)
            if index > 0 {
                // Skip to the first blank line after a non-empty line: the first block whose start was kept.
                var sawLine = false
                var cut: Int?
                for position in log.indices {
                    guard let line = log.line(at: position) else { continue }
                    if line.length > 0 {
                        sawLine = true
                    } else if sawLine {
                        // With what the blank line did (a dispatch, or a block without data).
                        var end = position + 1
                        while end < log.count, log.offset(at: end) == log.offset(at: position) { end += 1 }
                        cut = end
                        break
                    }
                }
                let kept = cut ?? log.count
                cuts.append(observations.count)
                for position in kept..<log.count { observations.append(position, of: log) }
                // The stream's end is judged as received, even when no block boundary followed the gap.
                for position in 0..<kept where log.tag(at: position) == .unterminatedTail {
                    observations.append(position, of: log)
                }
            } else {
                observations = log
            }
            lastEventId = parser.lastEventId
            reconnectionTime = parser.reconnectionTime ?? reconnectionTime
        }
        self.observations = observations
        self.errors = errors
        self.lastEventId = lastEventId
        self.reconnectionTime = reconnectionTime

        var blocks: [Block] = []
        var events: [ServerSentEvent] = []
        let dispatches = observations.count(.dispatched)
        events.reserveCapacity(dispatches)
        blocks.reserveCapacity(dispatches)
        // The block being read, when `open` (kept in place: an optional's payload mutated through `!` is copied).
        var block = Block(start: 0)
        var open = false
        // The last field read, its value made: an event of one data line shares it.
        var lastField: (position: Int, value: String)?
        var tail: (Int, Int)?
        func close() {
            if open && !block.fields.isEmpty { blocks.append(block) }
            open = false
        }
        var nextCut = 0
        for position in observations.indices {
            // A block open at a gap in the kept bytes is not judged (`cuts` is in order; two may be equal).
            while nextCut < cuts.count && cuts[nextCut] == position {
                open = false
                nextCut += 1
            }
            let offset = observations.offset(at: position)
            switch observations.tag(at: position) {
            case .line:
                let (length, terminator) = observations.line(at: position)!
                if length > 0 {
                    if !open {
                        block = Block(start: offset)
                        open = true
                    }
                    block.lastLineEnd = offset + length
                    block.terminators.append(terminator)
                } else if open {
                    block.terminators.append(terminator)
                    block.blankLine = offset
                }
            case .field:
                let value = observations.fieldValue(at: position)!
                lastField = (position, value)
                if open { block.fields.append((observations.fieldName(at: position)!, value, offset)) }
            case .dispatched:
                let event = observations.dispatchedEvent(at: position, reusing: lastField)!
                events.append(event)
                if open { block.event = event }
                close()
            case .blockWithoutData:
                close()
            case .unterminatedTail:
                if case .unterminatedTail(let length) = observations.kind(at: position) { tail = (offset, length) }
                close()
            default:
                break
            }
        }
        self.blocks = blocks
        self.events = events
        self.unterminatedTail = tail.map { (offset: $0.0, length: $0.1) }
    }

    /// The number of observations of one kind.
    public func count(_ tag: EventStreamObservation.Tag) -> Int {
        observations.count(tag)
    }

    /// The observations of one kind, in order.
    public func find(_ tag: EventStreamObservation.Tag) -> [EventStreamObservation] {
        observations.observations(tag)
    }

    /// Arrival times of the blank lines that dispatched events, in seconds since the request.
    public var dispatchTimes: [Double] {
        blocks.compactMap { block in
            guard block.event != nil, let blank = block.blankLine else { return nil }
            return exchange.arrival(ofByte: blank)
        }
    }

    /// Time between the arrival of a block's last line and its blank line, in seconds.
    public func wait(of block: Block) -> Double? {
        guard let blank = block.blankLine, let lineTime = exchange.arrival(ofByte: block.lastLineEnd),
            let blankTime = exchange.arrival(ofByte: blank)
        else { return nil }
        return blankTime - lineTime
    }
}

extension StreamAnalysis.Block {
    /// A block whose first line starts at `start`, nothing read yet.
    init(start: Int) {
        self.init(start: start, fields: [], lastLineEnd: 0, blankLine: nil, event: nil, terminators: [])
    }
}

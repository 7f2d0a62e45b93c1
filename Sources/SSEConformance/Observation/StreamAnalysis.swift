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
    /// Every observation of the body, in order.
    public var observations: [EventStreamObservation]
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

    /// Parses the exchange's body.
    public init(_ exchange: Exchange, maxLineLength: Int = 1 << 20) {
        self.exchange = exchange
        var parser = EventStreamParser(
            configuration: .init(
                maxLineLength: maxLineLength,
                maxEventSize: max(maxLineLength, 1 << 20),
                recordsObservations: true
            )
        )
        var errors: [EventStreamError] = []
        var events: [ServerSentEvent] = []
        for chunk in exchange.chunks {
            chunk.bytes.withUnsafeBytes { bytes in
                parser.parse(bytes) { output in
                    switch output {
                    case .event(let event): events.append(event)
                    case .error(let error): errors.append(error)
                    }
                }
            }
        }
        parser.finish()
        self.observations = parser.takeObservations()
        self.events = events
        self.errors = errors
        self.lastEventId = parser.lastEventId
        self.reconnectionTime = parser.reconnectionTime

        var blocks: [Block] = []
        var current: Block?
        var tail: (Int, Int)?
        for observation in observations {
            switch observation.kind {
            case .line(let length, let terminator):
                if length > 0 {
                    if current == nil {
                        current = Block(
                            start: observation.offset,
                            fields: [],
                            lastLineEnd: 0,
                            blankLine: nil,
                            event: nil,
                            terminators: []
                        )
                    }
                    current!.lastLineEnd = observation.offset + length
                    current!.terminators.append(terminator)
                } else if current != nil {
                    current!.terminators.append(terminator)
                    current!.blankLine = observation.offset
                }
            case .field(let name, let value):
                current?.fields.append((name, value, observation.offset))
            case .dispatched(let event):
                current?.event = event
                if let block = current, !block.fields.isEmpty { blocks.append(block) }
                current = nil
            case .blockWithoutData:
                if let block = current, !block.fields.isEmpty { blocks.append(block) }
                current = nil
            case .unterminatedTail(let length):
                tail = (observation.offset, length)
                if let block = current, !block.fields.isEmpty { blocks.append(block) }
                current = nil
            default:
                break
            }
        }
        self.blocks = blocks
        self.unterminatedTail = tail.map { (offset: $0.0, length: $0.1) }
    }

    /// Kinds of observation, counted.
    public func count(where predicate: (EventStreamObservation.Kind) -> Bool) -> Int {
        observations.filter { predicate($0.kind) }.count
    }

    /// The observations matching `predicate`.
    public func find(_ predicate: (EventStreamObservation.Kind) -> Bool) -> [EventStreamObservation] {
        observations.filter { predicate($0.kind) }
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

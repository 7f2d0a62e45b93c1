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

    /// Parses the exchange's body. Offsets are the body's own (`Exchange.arrival(ofByte:)` finds their arrival).
    ///
    /// When the middle of a long body was not kept (the transcript limit), the bytes after the gap do not continue
    /// the bytes before it: joined, the two halves of cut lines would make lines the server never sent (a field
    /// named `evxx`...). So the parse stops at the gap (a line or block still open there is dropped) and starts
    /// again after it, from the first blank line that follows a non-empty line: that block's start was not kept,
    /// so it is not judged either. The stream's end (an unterminated tail) is judged as received.
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
        var observations: [EventStreamObservation] = []
        var errors: [EventStreamError] = []
        var events: [ServerSentEvent] = []
        var lastEventId = ""
        var reconnectionTime: Int?
        // Where each run's judged observations begin in `observations` (a block open across it is dropped).
        var cuts: [Int] = []
        for (index, run) in runs.enumerated() {
            var parser = EventStreamParser(configuration: configuration, lastEventId: lastEventId)
            var runEvents: [ServerSentEvent] = []
            for chunk in run {
                chunk.bytes.withUnsafeBytes { bytes in
                    parser.parse(bytes) { output in
                        switch output {
                        case .event(let event): runEvents.append(event)
                        case .error(let error): errors.append(error)
                        }
                    }
                }
            }
            let isLast = index == runs.count - 1
            if isLast { parser.finish() }
            let base = run.first?.offset ?? 0
            var runObservations = parser.takeObservations().map { observation in
                var shifted = observation
                shifted.offset += base
                return shifted
            }
            if index > 0 {
                // Skip to the first blank line after a non-empty line: the first block whose start was kept.
                var sawLine = false
                var cut: Int?
                for (position, observation) in runObservations.enumerated() {
                    guard case .line(let length, _) = observation.kind else { continue }
                    if length > 0 {
                        sawLine = true
                    } else if sawLine {
                        // With what the blank line did (a dispatch, or a block without data).
                        var end = position + 1
                        while end < runObservations.count, runObservations[end].offset == observation.offset {
                            end += 1
                        }
                        cut = end
                        break
                    }
                }
                let kept = cut ?? runObservations.count
                let skipped = runObservations[..<kept]
                let dispatchedBefore = skipped.count { if case .dispatched = $0.kind { true } else { false } }
                runEvents.removeFirst(min(dispatchedBefore, runEvents.count))
                // The stream's end is judged as received, even when no block boundary followed the gap.
                let tail = skipped.filter { if case .unterminatedTail = $0.kind { true } else { false } }
                runObservations = Array(runObservations[kept...]) + tail
                cuts.append(observations.count)
            }
            observations += runObservations
            events += runEvents
            lastEventId = parser.lastEventId
            reconnectionTime = parser.reconnectionTime ?? reconnectionTime
        }
        self.observations = observations
        self.events = events
        self.errors = errors
        self.lastEventId = lastEventId
        self.reconnectionTime = reconnectionTime

        var blocks: [Block] = []
        var current: Block?
        var tail: (Int, Int)?
        for (position, observation) in observations.enumerated() {
            // A block open at a gap in the kept bytes is not judged.
            if cuts.contains(position) { current = nil }
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

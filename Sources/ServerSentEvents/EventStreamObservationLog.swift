extension EventStreamObservation {
    /// What kind of observation, without what it carries: ``Kind`` less its payload.
    public enum Tag: UInt8, Sendable, Hashable, CaseIterable {
        case line, field, comment, byteOrderMark, invalidUTF8, idWithNull, invalidRetry, retry, dispatched
        case blockWithoutData, unterminatedTail, limitExceeded
    }
}

extension EventStreamObservation.Kind {
    /// The kind without its payload.
    public var tag: EventStreamObservation.Tag {
        switch self {
        case .line: .line
        case .field: .field
        case .comment: .comment
        case .byteOrderMark: .byteOrderMark
        case .invalidUTF8: .invalidUTF8
        case .idWithNull: .idWithNull
        case .invalidRetry: .invalidRetry
        case .retry: .retry
        case .dispatched: .dispatched
        case .blockWithoutData: .blockWithoutData
        case .unterminatedTail: .unterminatedTail
        case .limitExceeded: .limitExceeded
        }
    }
}

/// The observations a parser recorded, the way it records them: one small fixed-size record each, and the text
/// they carry (field names and values, comments, event types, data and IDs) as the bytes that arrived, in one
/// buffer. Recording makes no `String`.
///
/// It is a collection of ``EventStreamObservation``: reading an element makes that observation, and its Strings,
/// then (decoded as the spec decodes the stream: UTF-8, each maximal invalid sequence as one U+FFFD). To walk a
/// long log without making every String, read ``tag(at:)`` and ``offset(at:)`` first, then the element or the
/// one accessor (``fieldName(at:)``, ``fieldValue(at:)``, ``dispatchedEvent(at:)``...) that is needed.
public struct EventStreamObservationLog: RandomAccessCollection, Sendable {
    /// One observation. A text range is a start and a count in `text`. By tag:
    /// - line: `a` the length, `flag` the terminator (0 LF, 1 CRLF, 2 CR);
    /// - field: `flag` the name's code (1 data, 2 event, 3 id, 4 retry; 0 any other, its text at `a`, `b`), the
    ///   value at `c`, `d`;
    /// - comment, idWithNull, invalidRetry: the text at `c`, `d`; blockWithoutData: the names joined by LF there;
    /// - byteOrderMark: `flag` 1 when leading; invalidUTF8, unterminatedTail: `a` the length; retry: `a` the value;
    /// - dispatched: the type at `a`, `b` (`b` -1: "message"), the data at `c`, `d`, the last event ID at `e`, `f`;
    /// - limitExceeded: `flag` 0 line too long, 1 event too large; `a` the limit.
    @usableFromInline
    struct Record: Sendable {
        @usableFromInline var offset: Int
        @usableFromInline var tag: EventStreamObservation.Tag
        var flag: UInt8
        var a: Int
        var b: Int
        var c: Int
        var d: Int
        var e: Int
        var f: Int
    }

    @usableFromInline var records: [Record] = []
    /// The bytes the records' ranges point into.
    var text: [UInt8] = []

    /// An empty log.
    public init() {}

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { records.count }

    /// The observation at `position`, made now.
    public subscript(position: Int) -> EventStreamObservation {
        EventStreamObservation(offset: records[position].offset, kind: kind(at: position))
    }

    /// The kind of the observation at `position`, without its payload.
    @inlinable public func tag(at position: Int) -> EventStreamObservation.Tag { records[position].tag }

    /// The byte offset of the observation at `position`.
    @inlinable public func offset(at position: Int) -> Int { records[position].offset }

    /// For a `line` observation: its length and terminator.
    public func line(at position: Int) -> (length: Int, terminator: LineTerminator)? {
        let record = records[position]
        guard record.tag == .line else { return nil }
        return (record.a, Self.terminator(record.flag))
    }

    /// For a `field` observation: its name.
    public func fieldName(at position: Int) -> String? {
        let record = records[position]
        guard record.tag == .field else { return nil }
        return name(of: record)
    }

    /// For a `field` observation: its value.
    public func fieldValue(at position: Int) -> String? {
        let record = records[position]
        guard record.tag == .field else { return nil }
        return string(record.c, record.d)
    }

    /// For a `dispatched` observation: the event.
    ///
    /// - Parameter field: a field observation whose value the caller already made. When the event's data is that
    ///   value's bytes (the value of a block's one `data` line, still in its chunk when the block ended), the event
    ///   shares the String instead of decoding the same bytes again.
    public func dispatchedEvent(
        at position: Int,
        reusing field: (position: Int, value: String)? = nil
    )
        -> ServerSentEvent?
    {
        let record = records[position]
        guard record.tag == .dispatched else { return nil }
        let data: String
        if let field, records[field.position].tag == .field, records[field.position].c == record.c,
            records[field.position].d == record.d
        {
            data = field.value
        } else {
            data = string(record.c, record.d)
        }
        return ServerSentEvent(
            type: record.b < 0 ? "message" : string(record.a, record.b),
            data: data,
            lastEventId: string(record.e, record.f)
        )
    }

    /// The kind of the observation at `position`, with its payload, made now.
    public func kind(at position: Int) -> EventStreamObservation.Kind {
        let record = records[position]
        switch record.tag {
        case .line: return .line(length: record.a, terminator: Self.terminator(record.flag))
        case .field: return .field(name: name(of: record), value: string(record.c, record.d))
        case .comment: return .comment(string(record.c, record.d))
        case .byteOrderMark: return .byteOrderMark(leading: record.flag != 0)
        case .invalidUTF8: return .invalidUTF8(length: record.a)
        case .idWithNull: return .idWithNull(string(record.c, record.d))
        case .invalidRetry: return .invalidRetry(string(record.c, record.d))
        case .retry: return .retry(record.a)
        case .dispatched: return .dispatched(dispatchedEvent(at: position)!)
        case .blockWithoutData:
            // The names, joined with LF (a name holds no LF, and none is empty).
            guard record.d > 0 else { return .blockWithoutData(fields: []) }
            let names = text[record.c..<(record.c + record.d)].split(separator: lf, omittingEmptySubsequences: false)
            return .blockWithoutData(fields: names.map { String(decoding: $0, as: UTF8.self) })
        case .unterminatedTail: return .unterminatedTail(length: record.a)
        case .limitExceeded:
            return .limitExceeded(
                EventStreamError(
                    kind: record.flag == 0 ? .lineTooLong : .eventTooLarge,
                    offset: record.offset,
                    limit: record.a
                )
            )
        }
    }

    /// Every observation, made now. An event whose data is its block's one data line shares that field's value
    /// String (see ``dispatchedEvent(at:reusing:)``).
    public func materialized() -> [EventStreamObservation] {
        var result: [EventStreamObservation] = []
        result.reserveCapacity(records.count)
        var lastField: (position: Int, value: String)?
        for position in records.indices {
            let record = records[position]
            switch record.tag {
            case .field:
                let value = string(record.c, record.d)
                lastField = (position, value)
                result.append(
                    EventStreamObservation(offset: record.offset, kind: .field(name: name(of: record), value: value))
                )
            case .dispatched:
                let event = dispatchedEvent(at: position, reusing: lastField)!
                result.append(EventStreamObservation(offset: record.offset, kind: .dispatched(event)))
            default:
                result.append(self[position])
            }
        }
        return result
    }

    /// The positions of the observations with this tag, in order.
    public func positions(of tag: EventStreamObservation.Tag) -> [Int] {
        records.indices.filter { records[$0].tag == tag }
    }

    /// The observations with this tag, made now, in order.
    public func observations(_ tag: EventStreamObservation.Tag) -> [EventStreamObservation] {
        positions(of: tag).map { self[$0] }
    }

    /// The number of observations with this tag.
    public func count(_ tag: EventStreamObservation.Tag) -> Int {
        var count = 0
        for record in records where record.tag == tag { count += 1 }
        return count
    }

    /// Adds `offset` to every observation's offset.
    public mutating func shiftOffsets(by offset: Int) {
        guard offset != 0 else { return }
        for index in records.indices { records[index].offset += offset }
    }

    /// Appends one observation of another log (its text is copied).
    public mutating func append(_ position: Int, of other: EventStreamObservationLog) {
        var record = other.records[position]
        func copy(_ start: inout Int, _ count: Int) {
            let from = start
            start = text.count
            if count > 0 { text.append(contentsOf: other.text[from..<(from + count)]) }
        }
        switch record.tag {
        case .field:
            if record.flag == 0 { copy(&record.a, record.b) }
            copy(&record.c, record.d)
        case .comment, .idWithNull, .invalidRetry, .blockWithoutData: copy(&record.c, record.d)
        case .dispatched:
            if record.b >= 0 { copy(&record.a, record.b) }
            copy(&record.c, record.d)
            copy(&record.e, record.f)
        default: break
        }
        records.append(record)
    }

    func string(_ start: Int, _ count: Int) -> String {
        guard count > 0 else { return "" }
        return text.withUnsafeBytes {
            String(decoding: UnsafeRawBufferPointer(rebasing: $0[start..<(start + count)]), as: UTF8.self)
        }
    }

    static func terminator(_ flag: UInt8) -> LineTerminator {
        switch flag {
        case 0: .lf
        case 1: .crlf
        default: .cr
        }
    }

    static func flag(_ terminator: LineTerminator) -> UInt8 {
        switch terminator {
        case .lf: 0
        case .crlf: 1
        case .cr: 2
        }
    }

    /// A field record's name: one of the four the spec acts on by its code (`Field`), any other from the text.
    func name(of record: Record) -> String {
        Field(rawValue: record.flag)?.name ?? string(record.a, record.b)
    }
}

extension EventStreamObservationLog {
    /// Records an observation (the parser's one way in).
    @inline(__always)
    mutating func record(
        _ offset: Int,
        _ tag: EventStreamObservation.Tag,
        flag: UInt8 = 0,
        a: Int = 0,
        b: Int = 0,
        c: Int = 0,
        d: Int = 0,
        e: Int = 0,
        f: Int = 0
    ) {
        records.append(Record(offset: offset, tag: tag, flag: flag, a: a, b: b, c: c, d: d, e: e, f: f))
    }

    /// Keeps `bytes` in the log's text; returns where they start.
    @inline(__always)
    mutating func keep(_ bytes: UnsafeRawBufferPointer) -> Int {
        let start = text.count
        if !bytes.isEmpty { text.append(contentsOf: bytes) }
        return start
    }

    /// Empties the log, keeping its storage.
    mutating func removeAll() {
        records.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
    }
}

extension EventStreamObservationLog: CustomStringConvertible {
    public var description: String { Array(self).description }
}

extension EventStreamObservationLog: Equatable {
    /// Equal when they hold the same observations (however their text is laid out).
    public static func == (lhs: EventStreamObservationLog, rhs: EventStreamObservationLog) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

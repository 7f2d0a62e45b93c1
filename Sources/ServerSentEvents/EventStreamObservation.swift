/// How a line ended.
public enum LineTerminator: String, Sendable, Hashable, CaseIterable {
    /// U+000A LINE FEED.
    case lf = "LF"
    /// U+000D CARRIAGE RETURN followed by U+000A LINE FEED.
    case crlf = "CRLF"
    /// A lone U+000D CARRIAGE RETURN.
    case cr = "CR"
}

/// Something the parser saw on the wire, with the byte offset where it starts.
///
/// Observations are recorded only when `EventStreamParser.Configuration.recordsObservations` is on. Conformance
/// checks read them; plain consumers leave them off and get the fast path. The parser records them in an
/// ``EventStreamObservationLog`` (no `String` made while parsing); an `EventStreamObservation` is made when it is
/// read from the log.
public struct EventStreamObservation: Sendable, Hashable {
    /// What was seen.
    public enum Kind: Sendable, Hashable {
        /// A complete line: `length` bytes of content (after a stripped leading BOM), then its terminator.
        case line(length: Int, terminator: LineTerminator)
        /// A field line: its name and its value as written (after the one optional leading space).
        case field(name: String, value: String)
        /// A comment line (starts with `:`); the text after the colon.
        case comment(String)
        /// A U+FEFF byte order mark. `leading` is true for the one at the very start of the stream, which is
        /// dropped; any other is ordinary text.
        case byteOrderMark(leading: Bool)
        /// A maximal invalid UTF-8 sequence of `length` bytes; it decodes to one U+FFFD.
        case invalidUTF8(length: Int)
        /// An `id` field whose value holds U+0000; the spec ignores it.
        case idWithNull(String)
        /// A `retry` field whose value is not one or more ASCII digits; the spec ignores it.
        case invalidRetry(String)
        /// A valid `retry` field: the reconnection time was set to this many milliseconds.
        case retry(Int)
        /// A blank line dispatched an event.
        case dispatched(ServerSentEvent)
        /// A blank line ended a block that had no `data` field, so nothing was dispatched. `fields` lists the
        /// field names the block did have (empty for a blank line on its own).
        case blockWithoutData(fields: [String])
        /// The stream ended while a block or a line was not terminated: `length` bytes were discarded.
        case unterminatedTail(length: Int)
        /// A line or an event was larger than the configured limit.
        case limitExceeded(EventStreamError)
    }

    /// Byte offset in the stream (counting from the first byte of the response body).
    public var offset: Int
    /// What was seen.
    public var kind: Kind

    /// Creates an observation.
    public init(offset: Int, kind: Kind) {
        self.offset = offset
        self.kind = kind
    }
}

import ServerSentEvents

/// Everything an event source sent and received, attempt by attempt, with arrival times.
///
/// Bounded: each attempt keeps the first and last halves of its body bytes and observations within the limits of
/// ``EventSource/TranscriptConfiguration`` and counts what it dropped; the list of attempts is bounded the same
/// way. Body chunk boundaries are as libcurl delivered them and carry no meaning beyond their arrival times.
public struct Transcript: Sendable {
    /// The attempts kept, in order.
    public var attempts: [Attempt]
    /// Attempts dropped from the middle of a long run.
    public var droppedAttempts: Int

    /// A request as libcurl sent it.
    public struct RequestHead: Sendable, Hashable {
        /// The request line, e.g. `GET /events HTTP/1.1`.
        public var requestLine: String
        /// The header fields in the order sent (values passed through the redaction hook).
        public var headers: [HTTPHeaderField]
    }

    /// A piece of the response body as it arrived.
    public struct Chunk: Sendable, Hashable {
        /// Offset of its first byte in the (decoded) body of its attempt.
        public var offset: Int
        /// Its size in bytes.
        public var count: Int
        /// When it arrived (monotonic clock).
        public var receivedAt: ContinuousClock.Instant
        /// Its bytes; empty when the transcript does not record bodies.
        public var bytes: [UInt8]
    }

    /// How an attempt ended.
    public enum Ending: Sendable, Hashable {
        /// The response body ended cleanly (complete chunked terminator, full length, or close after the body).
        case endOfBody
        /// The connection or HTTP/2 stream was reset by the peer or the network.
        case reset
        /// The response was cut short: incomplete framing, or the connection closed before any response.
        case truncated
        /// The connect timeout or the idle timeout expired.
        case timedOut
        /// Another network error (refused, DNS, TLS...): see `curlCode` and `curlMessage`.
        case networkError
        /// The response head failed the source (status or media type); we aborted the transfer.
        case rejected
        /// `close()` aborted the transfer.
        case abortedByClient
        /// libcurl refused an option before anything was sent.
        case setupFailed
    }

    /// One connection attempt: a request (plus redirects) and its response.
    public struct Attempt: Sendable {
        /// 0 for the first request, then 1, 2... for reconnections.
        public var number: Int
        /// The URL requested (before redirects).
        public var url: String
        /// When the attempt was started.
        public var startedAt: ContinuousClock.Instant
        /// The `Last-Event-ID` sent, or nil.
        public var lastEventIdSent: String?
        /// The requests sent: one, plus one per redirect followed.
        public var requests: [RequestHead] = []
        /// The response heads received, in order (redirects, then the final one).
        public var responses: [ResponseHead] = []
        /// Trailer fields after a chunked body.
        public var trailers: [HTTPHeaderField] = []
        /// Whether the final head opened the source.
        public var opened = false
        /// Body bytes received in all (including any not kept).
        public var bodyBytes = 0
        /// How it ended; nil while it runs.
        public var ending: Ending?
        /// When it ended.
        public var endedAt: ContinuousClock.Instant?
        /// libcurl's result code, when libcurl ended the transfer (0 is success).
        public var curlCode: Int?
        /// libcurl's message for it, or our reason for ending it.
        public var curlMessage: String?
        /// The HTTP version used ("1.1", "2").
        public var httpVersion: String?
        /// The server's address and port.
        public var remoteAddress: String?
        /// Our local port.
        public var localPort: Int?
        var chunkLog: BoundedLog<Chunk>
        var observationLog: BoundedLog<EventStreamObservation>

        /// The body chunks kept (all, unless `droppedBodyBytes` > 0).
        public var chunks: [Chunk] { chunkLog.elements }
        /// Chunks dropped from the middle.
        public var droppedChunks: Int { chunkLog.droppedCount }
        /// Bytes dropped from the middle.
        public var droppedBodyBytes: Int { chunkLog.droppedWeight }
        /// The parser's observations kept, offsets relative to this attempt's body.
        public var observations: [EventStreamObservation] { observationLog.elements }
        /// The final response head (the last received).
        public var response: ResponseHead? { responses.last }
        /// The kept body bytes, concatenated.
        public var body: [UInt8] { chunks.flatMap(\.bytes) }
    }
}

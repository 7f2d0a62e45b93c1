import ServerSentEvents

extension EventSource {
    /// How an event source connects, reconnects and records. The defaults behave like a browser's EventSource,
    /// with TLS verification on and proxies taken from the usual environment variables (libcurl's default).
    public struct Configuration: Sendable {
        /// HTTP versions a client can ask for.
        public enum HTTPVersion: Sendable, Hashable {
            /// HTTP/1.1 only.
            case http1_1
            /// HTTP/2 over TLS when the server offers it by ALPN, else HTTP/1.1; `http://` URLs use HTTP/1.1.
            case http2
            /// HTTP/2 without negotiation ("prior knowledge"); for cleartext `h2c` servers. With libcurl older than
            /// 8.0.0 (Debian 12 has 7.88) h2c connections are never shared: reusing one fails there (curl/curl#10634).
            case http2PriorKnowledge
        }

        /// The request method. `GET` (with no ``body``) is what EventSource sends; anything else makes a fetch-style
        /// request, as `fetch`-based stream readers send (LLM streaming APIs, MCP Streamable HTTP). Case is kept as
        /// given (fetch upper-cases only the standard names; write them upper case).
        public var method: String = "GET"
        /// The request body, sent with every attempt (reconnections re-send it) and on 307/308 redirects. No
        /// `Content-Type` is added: give one in ``headers``. Nil: no body.
        public var body: [UInt8]? = nil
        /// Extra request headers (authentication, for instance). A header named like one the client sends
        /// itself (`Accept`, `Cache-Control`, `Last-Event-ID`) replaces it.
        public var headers: [HTTPHeaderField] = []
        /// The reconnection time until the stream sets one with `retry:`. Browsers use a few seconds.
        public var initialReconnectionTime: Duration = .seconds(3)
        /// The last event ID to send on the first request, as if an earlier connection had set it.
        public var lastEventId: String = ""
        /// How many times to reconnect after the first attempt; nil reconnects for ever, like a browser.
        public var maxReconnections: Int? = nil
        /// The most redirects followed per attempt (0: none; a redirect is then a status that fails the source).
        public var maxRedirects: Int = 20
        /// Offer, and decode, every content coding libcurl supports (`Accept-Encoding` as browsers send it).
        /// Off: no `Accept-Encoding` is sent and bodies are not decoded.
        public var acceptsCompression: Bool = true
        /// Which HTTP version to speak.
        public var httpVersion: HTTPVersion = .http1_1
        /// Whether this client may share connections with others (HTTP/1.1 reuse, HTTP/2 multiplexing). Off: every
        /// attempt opens its own connection and closes it at the end.
        public var sharesConnections: Bool = true
        /// The longest a TCP/TLS connect may take; nil leaves libcurl's default (300 s).
        public var connectTimeout: Duration? = .seconds(10)
        /// An attempt that receives no byte for this long ends as timed out (and is retried like a network
        /// error). Nil: wait for ever. A paused attempt does not time out.
        public var idleTimeout: Duration? = nil
        /// Skip TLS certificate and host name verification.
        public var insecure: Bool = false
        /// A PEM file of certificate authorities to trust instead of the system store.
        public var caFile: String? = nil
        /// A client certificate (PEM) for mutual TLS.
        public var clientCertificateFile: String? = nil
        /// The private key (PEM) of `clientCertificateFile`.
        public var clientKeyFile: String? = nil
        /// Close aborted connections with a TCP reset (`SO_LINGER` 0) instead of a FIN: an abrupt abort.
        public var abortsWithReset: Bool = false
        /// Slow-reader mode: after this many body bytes of an attempt, stop reading (`CURL_WRITEFUNC_PAUSE`) until
        /// `resume()`. Nil: read as fast as bytes come.
        public var pauseAfterBytes: Int? = nil
        /// Backpressure: while this many events wait unread in ``EventSource/events``, stop reading the response
        /// (`CURL_WRITEFUNC_PAUSE`) until the consumer catches up to half of it. Nil: never stop (a consumer that
        /// reads only the transcript is not held up, but a flood is buffered without limit).
        public var maxPendingEvents: Int? = nil
        /// The parser's limits. Its `recordsObservations` is set from `transcript.recordsObservations`.
        public var parser: EventStreamParser.Configuration = .init()
        /// What the transcript keeps.
        public var transcript: TranscriptConfiguration = .init()

        /// Creates a configuration with the defaults.
        public init() {}

        /// Whether the request is not what EventSource sends: a method other than `GET`, or a body.
        public var isFetchStyle: Bool { method != "GET" || body != nil }
    }

    /// What the transcript keeps, and how it hides secrets.
    public struct TranscriptConfiguration: Sendable {
        /// Keep the body bytes of each chunk. Off: chunks keep only their offset, size and arrival time.
        public var recordsBody: Bool = true
        /// Record the parser's observations (lines, fields, comments, invalid UTF-8...) of every attempt.
        public var recordsObservations: Bool = false
        /// Body bytes kept per attempt; past it, the first and last halves are kept and the rest counted.
        public var maxBodyBytes: Int = 1 << 20
        /// Observations kept per attempt; past it, the first and last halves are kept and the rest counted.
        public var maxObservations: Int = 10_000
        /// Body bytes kept of a response that failed the source (wrong status or media type): the start of the
        /// login page or error page, never parsed. 0: abort at the head, keep none.
        public var rejectedBodyBytes: Int = 4096
        /// How long to wait for those bytes after the head before aborting.
        public var rejectedBodyWait: Duration = .milliseconds(500)
        /// Attempts kept; past it, the first and last halves are kept and the rest counted.
        public var maxAttempts: Int = 100
        /// Rewrites a header value before it is recorded (request heads, and response heads and trailers unless
        /// `redactsResponseHeads` is off), e.g. to hide an `Authorization` value. Gets the name and the value;
        /// returns what to record. Only the record changes: what is sent, and the response head the source acts on
        /// (its status, media type, redirects) and emits with `.open`, are never rewritten.
        public var redact: (@Sendable (_ name: String, _ value: String) -> String)? = nil
        /// Apply `redact` to the recorded response heads and trailers too. Off: they are recorded as received, for a
        /// consumer that judges them and redacts only what it shows.
        public var redactsResponseHeads = true

        /// Creates a configuration with the defaults.
        public init() {}

        /// A redaction hook that replaces the values of the named headers (case-insensitive) with `<redacted>`.
        public static func redacting(_ names: some Sequence<String>) -> @Sendable (String, String) -> String {
            let hidden = Set(names.map { $0.lowercased() })
            return { name, value in hidden.contains(name.lowercased()) ? "<redacted>" : value }
        }
    }
}

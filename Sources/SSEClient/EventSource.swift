import CCurl
import ServerSentEvents

/// A client for one event stream that behaves like a browser's `EventSource` (HTML §9.2.3, "the processing model")
/// and records everything it sees.
///
/// Connects as soon as it is created. It sends `Accept: text/event-stream`, `Cache-Control: no-cache`, an
/// `Accept-Encoding` offering every coding libcurl decodes and, once it has one, `Last-Event-ID`. A 200 response
/// with media type `text/event-stream` opens it; any other status (204 included) or media type fails it for good.
/// Redirects are followed. A network error, or the end of an open stream, makes it wait the reconnection time
/// (initially `Configuration.initialReconnectionTime`, then what `retry:` sets) and reconnect. ``close()`` aborts
/// at once and never reconnects.
///
/// Its ``events`` are for one consumer; they end after `.closed`. Dropping the sequence closes the source.
public final class EventSource: Sendable {
    /// What the source reports, in order.
    public enum Event: Sendable {
        /// A response head opened the source (the spec's `open` event), for this attempt.
        case open(ResponseHead)
        /// An event was dispatched (`message` or a typed event).
        case message(ServerSentEvent)
        /// The connection was lost or ended and the source will reconnect (the spec's `error` event while
        /// connecting), or the parser dropped a line or event over its limit (the stream goes on).
        case error(EventSourceError)
        /// The source is closed for good: nil after ``close()``, else why it failed or gave up. Always the last.
        case closed(EventSourceError?)
    }

    /// The spec's `readyState`.
    public enum ReadyState: Sendable, Hashable {
        case connecting, open, closed
    }

    /// The URL requested first.
    public let url: String
    /// How it connects and records.
    public let configuration: Configuration
    /// The source's events; one consumer. Ends after `.closed`.
    public let events: Events
    private let core: EventSourceCore

    /// Creates a source and starts connecting.
    ///
    /// - Throws: ``EventSourceError`` of kind `invalidURL` for anything but an absolute `http` or `https` URL, or
    ///   `invalidHeader` for a custom header with an empty name, a colon in its name, or CR, LF or NUL anywhere,
    ///   or `invalidMethod` for a method that is not an HTTP token or is `CONNECT`, `TRACE`, `TRACK` or `HEAD`.
    public init(url: String, configuration: Configuration = Configuration()) throws {
        try Self.validate(url: url)
        if let field = configuration.headers.first(where: { !$0.isValidRequestField }) {
            throw EventSourceError.invalidHeader(field.name)
        }
        try Self.validate(method: configuration.method)
        if configuration.lastEventId.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            throw EventSourceError.invalidHeader("Last-Event-ID")
        }
        self.url = url
        self.configuration = configuration
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        self.core = EventSourceCore(url: url, configuration: configuration, continuation: continuation)
        self.events = Events(stream: stream, core: core)
        continuation.onTermination = { [weak core] _ in core?.close() }
        core.start()
    }

    /// Aborts the current connection at once (the transfer's handle is removed, so the server sees the connection
    /// close mid-response) and never reconnects. `.closed(nil)` follows unless the source had already closed.
    public func close() { core.close() }

    /// Stops reading the response (`curl_easy_pause`): the server's writes back up into the socket buffers.
    public func pause() { core.pause() }

    /// Reads the response again after ``pause()`` or the `pauseAfterBytes` slow-reader stop.
    public func resume() { core.resume() }

    /// The spec's `readyState`.
    public var readyState: ReadyState { core.readyState }

    /// The last event ID string, sent as `Last-Event-ID` on the next reconnection.
    public var lastEventId: String { core.lastEventId }

    /// Everything sent and received so far, including the attempt in progress.
    public var transcript: Transcript { core.transcript }

    /// Checks a request method: it must be an HTTP token (RFC 9110 §5.6.2); fetch forbids `CONNECT`, `TRACE` and
    /// `TRACK`, and a `HEAD` response has no body to stream.
    ///
    /// - Throws: ``EventSourceError`` of kind `invalidMethod`.
    public static func validate(method: String) throws {
        let tokenSymbols = Set("!#$%&'*+-.^_`|~".unicodeScalars)
        let isToken =
            !method.isEmpty
            && method.unicodeScalars.allSatisfy {
                $0.isASCII && (tokenSymbols.contains($0) || $0.properties.isAlphabetic || ("0"..."9").contains($0))
            }
        guard isToken, !["CONNECT", "TRACE", "TRACK", "HEAD"].contains(method.uppercased()) else {
            throw EventSourceError.invalidMethod(method)
        }
    }

    static func validate(url: String) throws {
        guard !url.utf8.contains(0), let handle = curl_url() else { throw EventSourceError.invalidURL(url) }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else { throw EventSourceError.invalidURL(url) }
        var scheme: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK, let scheme else {
            throw EventSourceError.invalidURL(url)
        }
        defer { curl_free(scheme) }
        let name = String(cString: scheme).lowercased()
        guard name == "http" || name == "https" else { throw EventSourceError.invalidURL(url) }
    }
}

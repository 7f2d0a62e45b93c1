import SSEClient
import Synchronization

/// A piece of a response body as it arrived.
public struct BodyChunk: Sendable, Hashable {
    /// Offset of the first byte in the body.
    public var offset: Int
    /// Arrival time, in seconds since the request was started (monotonic clock).
    public var time: Double
    /// The bytes.
    public var bytes: [UInt8]

    /// Creates a chunk.
    public init(offset: Int, time: Double, bytes: [UInt8]) {
        self.offset = offset
        self.time = time
        self.bytes = bytes
    }
}

/// How an exchange ended.
public enum ExchangeEnd: Sendable, Hashable {
    /// The server ended the response cleanly (complete chunked terminator, full Content-Length, or a close
    /// after the headers of a response without a length).
    case completed
    /// We stopped listening because we had what we came for (`--events` or `--listen` reached).
    case stoppedListening
    /// We aborted the connection on purpose (abort probes).
    case aborted
    /// The connection broke: reset, truncated chunked framing, or another transport error after the headers.
    case broken(String)
    /// No response: refused, DNS, TLS, timeout before the headers.
    case failed(String)
    /// Nothing arrived for longer than the idle timeout.
    case idleTimeout(Double)
}

/// One request and its response, as the suite's client saw them: the raw material every check judges.
public struct Exchange: Sendable {
    /// Identifies this exchange (and its copies) within the process: the key of cached analyses.
    public let serial: Int
    /// What this exchange was for (`primary`, `reconnection`, `client 2 of 3`, `scenario typed`...).
    public var label: String
    /// The URL requested.
    public var url: String
    /// Seconds since the start of the run when the request was made.
    public var startedAt: Double
    /// The request headers as sent.
    public var requestHeaders: [HTTPHeaderField]
    /// The HTTP status, or nil when there was no response.
    public var status: Int?
    /// The status line as received (`HTTP/1.1 200 OK`), if any.
    public var statusLine: String
    /// The response headers, order and case kept (after redirects: the final response's).
    public var responseHeaders: [HTTPHeaderField]
    /// The body as it arrived (decoded from any Content-Encoding, as a browser would see it).
    public var chunks: [BodyChunk]
    /// Body bytes not kept because the transcript was over its size limit.
    public var droppedBytes: Int
    /// How it ended.
    public var end: ExchangeEnd
    /// When it ended, in seconds since the request was started.
    public var endTime: Double
    /// Redirects followed before the final response.
    public var redirects: Int
    /// When the final response head arrived, in seconds since the request was started; nil without one.
    public var headTime: Double?

    /// Creates an exchange.
    public init(
        label: String,
        url: String,
        startedAt: Double = 0,
        requestHeaders: [HTTPHeaderField] = [],
        status: Int?,
        statusLine: String = "",
        responseHeaders: [HTTPHeaderField] = [],
        chunks: [BodyChunk] = [],
        droppedBytes: Int = 0,
        end: ExchangeEnd,
        endTime: Double = 0,
        redirects: Int = 0,
        headTime: Double? = nil
    ) {
        self.serial = Exchange.serials.add(1, ordering: .relaxed).newValue
        self.label = label
        self.url = url
        self.startedAt = startedAt
        self.requestHeaders = requestHeaders
        self.status = status
        self.statusLine = statusLine
        self.responseHeaders = responseHeaders
        self.chunks = chunks
        self.droppedBytes = droppedBytes
        self.end = end
        self.endTime = endTime
        self.redirects = redirects
        self.headTime = headTime
    }

    static let serials = Atomic<Int>(0)

    /// The first response header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return responseHeaders.first { $0.name.lowercased() == lower }?.value
    }

    /// Every response header with this name (case-insensitive).
    public func headers(_ name: String) -> [String] {
        let lower = name.lowercased()
        return responseHeaders.filter { $0.name.lowercased() == lower }.map(\.value)
    }

    /// The first request header with this name (case-insensitive).
    public func requestHeader(_ name: String) -> String? {
        let lower = name.lowercased()
        return requestHeaders.first { $0.name.lowercased() == lower }?.value
    }

    /// The body bytes kept, in order.
    public var body: [UInt8] { chunks.flatMap(\.bytes) }

    /// The media type of the response (lowercased, parameters removed), if any.
    public var mediaType: String? {
        guard let value = header("Content-Type") else { return nil }
        return String(value.prefix { $0 != ";" }).trimmingSpaces().lowercased()
    }

    /// Whether the response opens an EventSource: 200 with media type `text/event-stream`.
    public var opensEventSource: Bool { status == 200 && mediaType == "text/event-stream" }

    /// Arrival time of the byte at `offset` (seconds since the request started), or nil if not kept.
    public func arrival(ofByte offset: Int) -> Double? {
        var low = 0
        var high = chunks.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let chunk = chunks[mid]
            if offset < chunk.offset {
                high = mid - 1
            } else if offset >= chunk.offset + chunk.bytes.count {
                low = mid + 1
            } else {
                return chunk.time
            }
        }
        return nil
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

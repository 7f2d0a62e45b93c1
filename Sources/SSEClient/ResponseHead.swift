/// A response's status line and headers, as received: order and case kept.
public struct ResponseHead: Sendable, Hashable {
    /// The status line without its line end, e.g. `HTTP/1.1 200 OK` or `HTTP/2 200`.
    public var statusLine: String
    /// The status code, or 0 if the status line could not be read.
    public var status: Int
    /// The header fields in the order they arrived.
    public var headers: [HTTPHeaderField]
    /// When the status line arrived.
    public var receivedAt: ContinuousClock.Instant

    /// Creates a response head.
    public init(statusLine: String, headers: [HTTPHeaderField] = [], receivedAt: ContinuousClock.Instant) {
        self.statusLine = statusLine
        self.headers = headers
        self.receivedAt = receivedAt
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        self.status = parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
    }

    /// The media type of `Content-Type` (before any parameter), lowercased; nil without the header.
    public var mediaType: String? {
        guard let value = headers.last(named: "content-type") else { return nil }
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(type).trimmingHTTPWhitespace().lowercased()
    }

    /// Whether this head opens an event source: status 200 and media type `text/event-stream`, compared
    /// case-insensitively, parameters allowed (HTML §9.2.3: "if res's status is not 200, or if res's
    /// `Content-Type` is not `text/event-stream`, then fail the connection").
    public var opensEventStream: Bool {
        status == 200 && mediaType == "text/event-stream"
    }
}

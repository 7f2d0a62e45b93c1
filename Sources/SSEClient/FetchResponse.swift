/// The answer to a one-shot GET made with `fetch(url:headers:timeout:)`: the final response head
/// (after any redirects) and its whole (decoded) body. Any status is an answer; judging it is the caller's job.
public struct FetchResponse: Sendable, Hashable {
    /// The final response head: status line and headers as received.
    public var head: ResponseHead
    /// The whole body, decoded if the server compressed it.
    public var body: [UInt8]

    /// Creates a response.
    public init(head: ResponseHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }

    /// The status code (0 if the status line could not be read).
    public var status: Int { head.status }

    /// The body as UTF-8 text (invalid sequences replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

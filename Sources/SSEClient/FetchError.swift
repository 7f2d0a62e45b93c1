/// Why a one-shot GET (`fetch(url:headers:timeout:)`) got no answer. A response with any status
/// is an answer, not an error.
public enum FetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL is not an absolute `http` or `https` URL.
    case invalidURL(String)
    /// A header has an empty name or a name or value with CR, LF or NUL (or a colon or space in the name).
    case invalidHeader(String)
    /// No complete response within the timeout (connecting included).
    case timedOut(after: Duration)
    /// No response: refused, DNS, TLS, reset, or the connection closed early. libcurl's code and message.
    case connectionFailed(curlCode: Int, message: String)
    /// The body grew past the limit; the transfer was aborted.
    case bodyTooLarge(limit: Int)
    /// libcurl refused an option.
    case transportSetup(String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "not an absolute http(s) URL: \(url.debugDescription)"
        case .invalidHeader(let name): "invalid request header \(name.debugDescription)"
        case .timedOut(let timeout): "no complete response within \(timeout.milliseconds) ms"
        case .connectionFailed(let code, let message): "no response (curl \(code)): \(message)"
        case .bodyTooLarge(let limit): "the response body is over \(limit) bytes"
        case .transportSetup(let message): "libcurl refused an option: \(message)"
        }
    }
}

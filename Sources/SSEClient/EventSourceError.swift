import ServerSentEvents

/// Why an event source failed, lost its connection or could not be created.
///
/// A struct wrapping a private enum, so that new reasons can be added without breaking code that switches
/// on them: compare `kind` with the static members of ``Kind``.
public struct EventSourceError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Reason: Sendable, Hashable {
        case invalidURL(String)
        case invalidHeader(String)
        case invalidMethod(String)
        case badStatus(Int, statusLine: String)
        case badContentType(String?)
        case connectionLost(curlCode: Int?, message: String)
        case streamEnded
        case idleTimeout
        case reconnectionLimit(Int)
        case streamLimit(EventStreamError)
        case transportSetup(String)
    }

    /// The sort of error, for comparisons.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }
        /// The URL is not an absolute `http` or `https` URL.
        public static let invalidURL = Kind(name: "invalidURL")
        /// A custom header has an empty name or a name or value with CR, LF or NUL.
        public static let invalidHeader = Kind(name: "invalidHeader")
        /// The request method is not an HTTP token, or one fetch forbids or a stream cannot use (`CONNECT`, `TRACE`,
        /// `TRACK`, `HEAD`).
        public static let invalidMethod = Kind(name: "invalidMethod")
        /// The response status was not 200: the source failed for good.
        public static let badStatus = Kind(name: "badStatus")
        /// The media type was not `text/event-stream`: the source failed for good.
        public static let badContentType = Kind(name: "badContentType")
        /// A network error (refused, reset, cut, TLS...): the source reconnects.
        public static let connectionLost = Kind(name: "connectionLost")
        /// The response ended cleanly: the source reconnects.
        public static let streamEnded = Kind(name: "streamEnded")
        /// No byte came for the idle timeout: the source reconnects.
        public static let idleTimeout = Kind(name: "idleTimeout")
        /// The source would have reconnected, but `maxReconnections` was reached.
        public static let reconnectionLimit = Kind(name: "reconnectionLimit")
        /// The parser dropped a line or an event over its limit; the stream goes on.
        public static let streamLimit = Kind(name: "streamLimit")
        /// libcurl refused an option (an unsupported HTTP version, say).
        public static let transportSetup = Kind(name: "transportSetup")
    }

    private let reason: Reason

    private init(_ reason: Reason) { self.reason = reason }

    static func invalidURL(_ url: String) -> Self { .init(.invalidURL(url)) }
    static func invalidHeader(_ name: String) -> Self { .init(.invalidHeader(name)) }
    static func invalidMethod(_ method: String) -> Self { .init(.invalidMethod(method)) }
    static func badStatus(_ status: Int, statusLine: String) -> Self {
        .init(.badStatus(status, statusLine: statusLine))
    }
    static func badContentType(_ type: String?) -> Self { .init(.badContentType(type)) }
    static func connectionLost(curlCode: Int?, message: String) -> Self {
        .init(.connectionLost(curlCode: curlCode, message: message))
    }
    static let streamEnded = Self(.streamEnded)
    static let idleTimeout = Self(.idleTimeout)
    static func reconnectionLimit(_ count: Int) -> Self { .init(.reconnectionLimit(count)) }
    static func streamLimit(_ error: EventStreamError) -> Self { .init(.streamLimit(error)) }
    static func transportSetup(_ message: String) -> Self { .init(.transportSetup(message)) }

    /// The sort of error.
    public var kind: Kind {
        switch reason {
        case .invalidURL: .invalidURL
        case .invalidHeader: .invalidHeader
        case .invalidMethod: .invalidMethod
        case .badStatus: .badStatus
        case .badContentType: .badContentType
        case .connectionLost: .connectionLost
        case .streamEnded: .streamEnded
        case .idleTimeout: .idleTimeout
        case .reconnectionLimit: .reconnectionLimit
        case .streamLimit: .streamLimit
        case .transportSetup: .transportSetup
        }
    }

    /// The response status, for `badStatus`.
    public var status: Int? {
        if case .badStatus(let status, _) = reason { return status }
        return nil
    }

    /// libcurl's result code, for `connectionLost` when libcurl reported one.
    public var curlCode: Int? {
        if case .connectionLost(let code, _) = reason { return code }
        return nil
    }

    /// The parser's error, for `streamLimit`.
    public var streamError: EventStreamError? {
        if case .streamLimit(let error) = reason { return error }
        return nil
    }

    public var description: String {
        switch reason {
        case .invalidURL(let url): "not an absolute http(s) URL: \(url.debugDescription)"
        case .invalidHeader(let name): "invalid request header \(name.debugDescription)"
        case .invalidMethod(let method):
            "request method \(method.debugDescription) is not usable: an HTTP token other than CONNECT, TRACE, TRACK or HEAD"
        case .badStatus(_, let line): "the response status is not 200 (\(line)): the source failed"
        case .badContentType(let type):
            "the media type is \(type.map { $0.debugDescription } ?? "missing"), not text/event-stream: the source failed"
        case .connectionLost(let code, let message):
            "connection lost\(code.map { " (curl \($0))" } ?? ""): \(message)"
        case .streamEnded: "the response ended"
        case .idleTimeout: "no byte arrived within the idle timeout"
        case .reconnectionLimit(let count): "gave up after \(count) reconnections"
        case .streamLimit(let error): error.description
        case .transportSetup(let message): "libcurl refused an option: \(message)"
        }
    }
}

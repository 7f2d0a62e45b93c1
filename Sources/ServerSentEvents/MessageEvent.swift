/// The event a NestJS `@Sse()` handler emits: `{ data, id, type, retry }`.
///
/// Every field is optional, as in Nest's `MessageEvent` interface. ``NestEventEncoder`` turns it into the bytes
/// Nest 11.1 writes (with the documented deliberate divergences).
public struct MessageEvent: Sendable, Hashable {
    /// The payload: a string (split into one `data:` line per line) or a JSON value (one line of
    /// `JSON.stringify` output). nil writes no `data:` line, so no client dispatches the block.
    public var data: MessageData?
    /// The event id. nil or empty takes the connection's counter (1, 2, 3...), as in Nest.
    public var id: FieldValue?
    /// The event type. nil or empty writes no `event:` line (listeners of `message` get it).
    public var type: String?
    /// The reconnection time for the client.
    public var retry: FieldValue?

    /// Creates an event.
    public init(data: MessageData?, id: FieldValue? = nil, type: String? = nil, retry: FieldValue? = nil) {
        self.data = data
        self.id = id
        self.type = type
        self.retry = retry
    }
}

/// The `data` of a ``MessageEvent``.
public enum MessageData: Sendable, Hashable, ExpressibleByStringLiteral {
    /// A string: written as one `data:` line per line (split on CRLF, CR or LF).
    case string(String)
    /// A JSON value: objects and arrays are written on one line as `JSON.stringify` writes them; a JSON string
    /// is written like `.string`.
    case json(JSONValue)

    public init(stringLiteral value: String) { self = .string(value) }
}

/// An `id` or `retry` value as a JavaScript handler would give it: a number or a string.
public enum FieldValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    CustomStringConvertible
{
    /// A number, written in decimal.
    case number(Int)
    /// A string, written as is (minus CR and LF).
    case text(String)

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .number(value) }

    /// The text JavaScript's template literal would write.
    public var description: String {
        switch self {
        case .number(let n): return String(n)
        case .text(let s): return s
        }
    }
}

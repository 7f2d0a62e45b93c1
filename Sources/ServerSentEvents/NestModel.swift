/// What NestJS 11.1 (`@nestjs/core` 11.1.19, express) writes for the ``MessageEvent``s of one connection, exactly,
/// losses included (DESIGN.md, "NestJS wire format"; the captures in `fixtures/nest/`):
/// - each event is `event:`, `id:`, `retry:`, `data:` lines in that order, LF line ends, then a blank line;
/// - a falsy `type` or `retry` (`""`, `0`) is left out; CR and LF inside `type`, `id` and `retry` are removed;
/// - an absent or falsy id (`0`, `""`) takes the per-connection counter 1, 2, 3...; a truthy id is written as is
///   and does not consume a number;
/// - string data is split on CRLF, CR or LF into one `data:` line each; objects and arrays are one line of
///   `JSON.stringify`; falsy data (`""`, `0`, `false`, `null`, absent) writes no `data:` line at all, so no
///   client dispatches the block; truthy number or boolean data throws inside Nest: nothing is written and the
///   stream ends there, cleanly, without an error event;
/// - a failing source gives one more event: `event: error`, the next id, `data: <message>`.
///
/// With ``NestDivergences`` the model writes the reference server's forms instead (``NestEventEncoder`` is the
/// model with ``NestDivergences/reference``).
public struct NestModel: Sendable {
    /// What Nest does with an event's data.
    public enum DataFate: Sendable, Hashable {
        /// Written as these `data:` lines (their values).
        case lines([String])
        /// Falsy data: no `data:` line; the block is written but dispatches nothing.
        case noLine
        /// A truthy number or boolean: Nest throws, writes nothing and ends the stream.
        case endsStream
    }

    /// The divergences from NestJS 11.1 this model writes (none: NestJS 11.1 itself).
    public let divergences: NestDivergences
    /// The last number the id counter handed out (0 before the first).
    public private(set) var lastGeneratedId = 0
    /// Whether an event ended the stream (a truthy number or boolean as data, without ``NestDivergences/encodesScalarData``).
    public private(set) var ended = false

    /// A model for a new connection.
    public init(divergences: NestDivergences = []) {
        self.divergences = divergences
    }

    /// What Nest writes when the stream opens, before any event: a single LF.
    public static let preamble: [UInt8] = [0x0A]

    /// The bytes of one event; nil when Nest writes nothing for it because the stream ends (at this event, or at an
    /// earlier one).
    public mutating func write(_ event: MessageEvent) -> [UInt8]? {
        var out = ""
        guard write(event, into: &out) else { return nil }
        return Array(out.utf8)
    }

    /// Appends the text of one event to `out`; false (and nothing appended) when the stream ends instead.
    @discardableResult
    public mutating func write(_ event: MessageEvent, into out: inout String) -> Bool {
        guard !ended else { return false }
        let fate = dataFate(event.data)
        if fate == .endsStream {
            ended = true
            return false
        }
        if let type = event.type, !type.isEmpty {
            out += "event: "
            out += Self.strippingLineBreaks(type)
            out += "\n"
        }
        out += "id: "
        switch event.id {
        case .number(let n) where n != 0 || divergences.contains(.writesZeroId):
            out += String(n)
        case .text(let s) where !s.isEmpty:
            out += Self.strippingLineBreaks(s)
        case .number, .text, nil:
            lastGeneratedId += 1
            out += String(lastGeneratedId)
        }
        out += "\n"
        switch event.retry {
        case .number(let n) where n != 0 || divergences.contains(.writesZeroRetry):
            out += "retry: \(n)\n"
        case .text(let s) where !s.isEmpty:
            out += "retry: "
            out += Self.strippingLineBreaks(s)
            out += "\n"
        case .number, .text, nil:
            break
        }
        if case .lines(let lines) = fate {
            for line in lines {
                out += "data: "
                out += line
                out += "\n"
            }
        }
        out += "\n"
        return true
    }

    /// The event Nest writes when the handler's source fails: `event: error`, the next id, the error's message.
    /// Nil when the stream had already ended.
    public mutating func writeError(message: String) -> [UInt8]? {
        write(MessageEvent(data: .string(message), type: "error"))
    }

    /// What this model does with `data`.
    public func dataFate(_ data: MessageData?) -> DataFate {
        switch data {
        case nil:
            return .noLine
        case .string(let s)?, .json(.string(let s))?:
            if s.isEmpty && !divergences.contains(.writesFalsyData) { return .noLine }
            return .lines(Self.lines(of: s))
        case .json(let value)?:
            switch value {
            case .object, .array:
                return .lines([value.stringified()])
            case .null, .bool, .number, .string:
                if !value.isTruthy {
                    return divergences.contains(.writesFalsyData) ? .lines([value.stringified()]) : .noLine
                }
                return divergences.contains(.encodesScalarData) ? .lines([value.stringified()]) : .endsStream
            }
        }
    }

    /// A string split as Nest splits it: on every CRLF, CR or LF (a trailing break gives a final empty line).
    static func lines(of text: String) -> [String] {
        var lines: [String] = []
        var rest = Substring(text)
        // Characters: "\r\n" is one Character, so one break.
        while let breakIndex = rest.firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            lines.append(String(rest[..<breakIndex]))
            rest = rest[rest.index(after: breakIndex)...]
        }
        lines.append(String(rest))
        return lines
    }

    /// `type`, `id` and `retry` with every CR and LF removed (Nest 11.1's fix for field injection).
    static func strippingLineBreaks(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return value }
        return String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\n" && $0 != "\r" }))
    }
}

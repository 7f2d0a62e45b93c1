/// Writes ``MessageEvent``s as NestJS 11.1's `SseStream` does, for one connection.
///
/// Byte-identical to Nest 11.1 (express) for every input Nest handles; see `fixtures/nest/` for the captures.
/// An event is `event:`, `id:`, `retry:`, `data:` lines in that order, LF line ends, then a blank line. The
/// encoder keeps the per-connection id counter: an event without an id gets the next number.
///
/// Deliberate divergences (DESIGN.md, "Deliberate divergences"), each marked `DIVERGENCE` below:
/// - CR and LF inside `type`, `id` and `retry` are stripped (as 11.1 does; 11.0.5 wrote them raw: injection).
/// - Falsy data (`""`, `0`, `false`, `null`) is written (`data: `, `data: 0`, ...): Nest writes no `data:` line,
///   so clients never dispatch the event the app sent.
/// - Truthy number or boolean data is JSON-encoded: Nest throws and ends the stream silently.
/// - `retry: 0` is written: Nest drops it as falsy.
/// - A numeric `id: 0` is written as `id: 0`: Nest replaces it with the counter.
public struct NestEventEncoder: Sendable {
    /// The last number the id counter handed out (0 before the first).
    public private(set) var lastGeneratedId = 0

    /// Creates an encoder for a new connection.
    public init() {}

    /// What Nest writes when the stream opens, before any event: a single LF.
    public static let preamble: [UInt8] = [0x0A]

    /// The bytes of one event.
    public mutating func encode(_ event: MessageEvent) -> [UInt8] {
        var out = ""
        encode(event, into: &out)
        return Array(out.utf8)
    }

    /// Appends the text of one event to `out`.
    public mutating func encode(_ event: MessageEvent, into out: inout String) {
        if let type = event.type, !type.isEmpty {
            out += "event: "
            out += Self.strippingLineBreaks(type)
            out += "\n"
        }
        let id: String
        switch event.id {
        case .number(let n):
            // DIVERGENCE: Nest treats a numeric 0 as "no id" and uses the counter; we write it.
            id = String(n)
        case .text(let s) where !s.isEmpty:
            id = Self.strippingLineBreaks(s)
        case .text, nil:
            lastGeneratedId += 1
            id = String(lastGeneratedId)
        }
        out += "id: "
        out += id
        out += "\n"
        switch event.retry {
        case .number(let n):
            // DIVERGENCE: Nest drops `retry: 0` (a falsy test); we write it.
            out += "retry: \(n)\n"
        case .text(let s) where !s.isEmpty:
            out += "retry: "
            out += Self.strippingLineBreaks(s)
            out += "\n"
        case .text, nil:
            break
        }
        if let data = event.data {
            Self.writeData(data, into: &out)
        }
        out += "\n"
    }

    /// The event Nest writes when the handler's source fails: `event: error`, the next id, the error's message.
    public mutating func encodeError(message: String) -> [UInt8] {
        encode(MessageEvent(data: .string(message), type: "error"))
    }

    static func writeData(_ data: MessageData, into out: inout String) {
        switch data {
        case .string(let s), .json(.string(let s)):
            // Nest: `data.split(/\r\n|\r|\n/)`, one `data:` line each. DIVERGENCE: an empty string is written as
            // `data: ` (Nest writes nothing for falsy data).
            var line = Substring(s)
            var rest = Substring(s)
            while let breakIndex = rest.firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                line = rest[..<breakIndex]
                out += "data: "
                out += line
                out += "\n"
                rest = rest[rest.index(after: breakIndex)...]
            }
            out += "data: "
            out += rest
            out += "\n"
        case .json(let value):
            // Objects and arrays as Nest writes them. DIVERGENCE: numbers, booleans and null are written as their
            // JSON text instead of being dropped (falsy) or killing the stream (truthy).
            out += "data: "
            out += value.stringified()
            out += "\n"
        }
    }

    /// `type`, `id` and `retry` with every CR and LF removed (Nest 11.1's fix for field injection).
    static func strippingLineBreaks(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return value }
        return String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\n" && $0 != "\r" }))
    }
}

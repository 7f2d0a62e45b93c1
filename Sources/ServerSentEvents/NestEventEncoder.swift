/// Writes ``MessageEvent``s as the reference server does, for one connection: ``NestModel`` (NestJS 11.1's bytes)
/// with every deliberate divergence of ``NestDivergences/reference``.
///
/// Byte-identical to Nest 11.1 (express) for every input Nest handles without losing it; see `fixtures/nest/` for
/// the captures. An event is `event:`, `id:`, `retry:`, `data:` lines in that order, LF line ends, then a blank
/// line. The encoder keeps the per-connection id counter: an event without an id gets the next number.
///
/// Deliberate divergences (DESIGN.md, "Deliberate divergences"):
/// - Falsy data (`""`, `0`, `false`, `null`) is written (`data: `, `data: 0`, ...): Nest writes no `data:` line,
///   so clients never dispatch the event the app sent.
/// - Truthy number or boolean data is JSON-encoded: Nest throws and ends the stream silently.
/// - `retry: 0` is written: Nest drops it as falsy.
/// - A numeric `id: 0` is written as `id: 0`: Nest replaces it with the counter.
/// CR and LF inside `type`, `id` and `retry` are stripped, as 11.1 does (11.0.5 wrote them raw: injection).
public struct NestEventEncoder: Sendable {
    var model = NestModel(divergences: .reference)

    /// The last number the id counter handed out (0 before the first).
    public var lastGeneratedId: Int { model.lastGeneratedId }

    /// Creates an encoder for a new connection.
    public init() {}

    /// What Nest writes when the stream opens, before any event: a single LF.
    public static let preamble: [UInt8] = NestModel.preamble

    /// The bytes of one event.
    public mutating func encode(_ event: MessageEvent) -> [UInt8] {
        var out = ""
        encode(event, into: &out)
        return Array(out.utf8)
    }

    /// Appends the text of one event to `out`.
    public mutating func encode(_ event: MessageEvent, into out: inout String) {
        // With .encodesScalarData the model never ends the stream: every event is written.
        model.write(event, into: &out)
    }

    /// The event Nest writes when the handler's source fails: `event: error`, the next id, the error's message.
    public mutating func encodeError(message: String) -> [UInt8] {
        encode(MessageEvent(data: .string(message), type: "error"))
    }
}

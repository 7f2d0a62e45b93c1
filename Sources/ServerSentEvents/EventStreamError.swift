/// A part of the stream the parser refused to buffer because it was larger than its configured limit.
///
/// The block the oversized line or event belonged to is discarded as a whole: dispatching part of it would
/// hand the application a corrupted event. Parsing resumes with the next block.
public struct EventStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was too large.
    public enum Kind: Sendable, Hashable {
        /// A single line (without its terminator) was longer than `EventStreamParser.Configuration.maxLineLength`.
        case lineTooLong
        /// The data of one event grew past `EventStreamParser.Configuration.maxEventSize`.
        case eventTooLarge
    }

    /// What was too large.
    public var kind: Kind
    /// Byte offset in the stream of the line that crossed the limit.
    public var offset: Int
    /// The limit that was crossed, in bytes.
    public var limit: Int

    /// Creates an error value.
    public init(kind: Kind, offset: Int, limit: Int) {
        self.kind = kind
        self.offset = offset
        self.limit = limit
    }

    public var description: String {
        switch kind {
        case .lineTooLong:
            return "line at byte \(offset) is longer than the \(limit)-byte limit; its block was discarded"
        case .eventTooLarge:
            return "event data at byte \(offset) grew past the \(limit)-byte limit; the event was discarded"
        }
    }
}

/// Wire evidence: a transcript excerpt with byte offsets and timings.
public struct Evidence: Sendable, Hashable, Codable {
    /// One line a reader can act on, e.g. `event at byte 48 waited 1012 ms for its blank line`.
    public var summary: String
    /// The transcript excerpt (already rendered, may hold any bytes the target sent, escaped for reading).
    public var excerpt: String
    /// The full transcript of every connection this check made (written to `reports/transcripts/` on failure).
    public var transcript: String

    /// Creates evidence.
    public init(summary: String = "", excerpt: String = "", transcript: String = "") {
        self.summary = summary
        self.excerpt = excerpt
        self.transcript = transcript
    }
}

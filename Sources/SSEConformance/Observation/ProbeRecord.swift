/// The connections one probe made, in order: the first, then each reconnection of the one before. What the HTML
/// report draws a delivery timeline for, one per connection.
public struct ProbeRecord: Sendable {
    /// What the probe was (`primary`, `client 2 of 3`, `scenario retry`, `abort probe`).
    public var name: String
    /// Its connections in order; each after the first reconnected after the one before it ended.
    public var exchanges: [Exchange]
    /// The reconnection time (ms) the probe waits before a stream sets `retry`; nil when it does not wait.
    public var initialRetry: Int?

    /// Creates a record.
    public init(name: String, exchanges: [Exchange], initialRetry: Int? = nil) {
        self.name = name
        self.exchanges = exchanges
        self.initialRetry = initialRetry
    }
}

/// Which of the passive run's extra connections a selection of checks asks for itself. Framing and Nest checks
/// judge every stream the run opens (``CheckContext/streams()``), but only streams the run opens anyway: a run of
/// `--only framing` does not reconnect or hold concurrent clients just so framing can read them.
public struct StreamProbeSelection: Sendable, Hashable {
    /// The reconnection probe (passive): made when a `reconnect/` check runs.
    public var reconnection: Bool
    /// The concurrent clients (passive): made when `delivery/concurrent-clients` runs.
    public var concurrentClients: Bool

    /// Every probe: the whole catalogue's need, and the default where no selection is known.
    public static let all = StreamProbeSelection(reconnection: true, concurrentClients: true)

    /// Creates a selection.
    public init(reconnection: Bool, concurrentClients: Bool) {
        self.reconnection = reconnection
        self.concurrentClients = concurrentClients
    }

    /// The probes `checks` ask for in their own judgements. (`reconnect/served-again` asks for a concurrent
    /// client only to tell a refused Last-Event-ID from a refused reconnection; it makes it itself when it must.)
    public init(checks: [Check]) {
        reconnection = checks.contains { $0.group == "reconnect" }
        concurrentClients = checks.contains { $0.id == "delivery/concurrent-clients" }
    }
}

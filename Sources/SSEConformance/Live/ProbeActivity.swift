import Synchronization

/// What the live probes are doing while they listen, for a console's progress line and `--dump`: each
/// connection with its listening window, the events and bytes received so far, and its end.
///
/// The probes report into it (``LiveProbes`` polls each connection's transcript a few times a second); a
/// console reads ``snapshot()`` to redraw, and gets ``onFinish`` once per finished connection and ``onChunk``
/// for every body chunk of the connections it asked to watch, with the chunk's true arrival time.
public final class ProbeActivity: Sendable {
    /// One connection.
    public struct Probe: Sendable, Hashable {
        /// Its label, e.g. `primary`, `client 2 of 3`, `scenario retry connection 1`.
        public var label: String
        /// How long it may listen, in seconds.
        public var window: Double
        /// When it started.
        public var startedAt: ContinuousClock.Instant
        /// Events dispatched so far.
        public var events = 0
        /// Body bytes received so far.
        public var bytes = 0
        /// The response's status line, once its head arrived.
        public var statusLine = ""
        /// How it ended (nil while it listens).
        public var end: String?
        /// Seconds it listened, once it ended.
        public var seconds: Double?
    }

    let probes = Mutex<[Probe]>([])
    /// Called once per finished connection.
    public let onFinish: @Sendable (Probe) -> Void
    /// Called for every body chunk of a connection whose label ``dumps`` accepts, in order.
    public let onChunk: @Sendable (_ label: String, _ chunk: BodyChunk) -> Void
    /// Which connections' chunks go to ``onChunk`` (none by default).
    public let dumps: @Sendable (_ label: String) -> Bool

    /// Creates an activity log.
    public init(
        dumps: @escaping @Sendable (_ label: String) -> Bool = { _ in false },
        onChunk: @escaping @Sendable (_ label: String, _ chunk: BodyChunk) -> Void = { _, _ in },
        onFinish: @escaping @Sendable (Probe) -> Void = { _ in }
    ) {
        self.dumps = dumps
        self.onChunk = onChunk
        self.onFinish = onFinish
    }

    /// Every connection so far, in the order they started.
    public func snapshot() -> [Probe] { probes.withLock { $0 } }

    /// The connections still listening.
    public func listening() -> [Probe] { snapshot().filter { $0.end == nil } }

    func start(label: String, window: Double) -> Int {
        probes.withLock { probes in
            probes.append(Probe(label: label, window: window, startedAt: .now))
            return probes.count - 1
        }
    }

    func dispatched(_ id: Int) {
        probes.withLock { $0[id].events += 1 }
    }

    func received(_ id: Int, bytes: Int, statusLine: String) {
        probes.withLock {
            $0[id].bytes = bytes
            $0[id].statusLine = statusLine
        }
    }

    /// The connection's window was extended to `window` seconds from its start.
    func extend(_ id: Int, window: Double) {
        probes.withLock { $0[id].window = max($0[id].window, window) }
    }

    /// `label`: what to call the connection in its finish line, if not its own label.
    func finish(_ id: Int, exchange: Exchange, label: String? = nil) {
        let probe = probes.withLock { probes -> Probe in
            if let label { probes[id].label = label }
            probes[id].bytes = exchange.chunks.reduce(0) { $0 + $1.bytes.count } + exchange.droppedBytes
            probes[id].statusLine = exchange.statusLine
            probes[id].end = TranscriptText.describe(exchange.end)
            probes[id].seconds = exchange.endTime
            return probes[id]
        }
        onFinish(probe)
    }
}

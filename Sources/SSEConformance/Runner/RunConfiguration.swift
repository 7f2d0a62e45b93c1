import SSEClient

/// Everything a run needs to know, from the command line or a test.
public struct RunConfiguration: Sendable {
    /// The stream URL for passive probes (nil when only scenarios run).
    public var target: String?
    /// Base URL of a server mounting the conformance scenarios (nil: no scenarios).
    public var scenariosBase: String?
    /// The profile.
    public var profile: Profile = .spec
    /// SHOULD violations fail instead of warn.
    public var strict = false
    /// Passive listening: stop after this many events...
    public var events = 5
    /// ...or after this many seconds, whichever comes first.
    public var listen: Double = 6
    /// How many simultaneous clients `delivery/concurrent-clients` opens.
    public var clients = 3
    /// Per-check timeout in seconds, on top of ``probeWindow`` (the time the shared probes may listen).
    public var checkTimeout: Double = 30
    /// Whole-run deadline in seconds.
    public var deadline: Double = 300
    /// Longest line the parser accepts; longer lines are a harness error for the checks that need them.
    public var maxLine = 1 << 20
    /// Extra request headers (auth, cookies). Their values are redacted in every report.
    public var headers: [HTTPHeaderField] = []
    /// `Origin` to send; enables `http/cors`.
    public var origin: String?
    /// TLS: skip verification.
    public var insecure = false
    /// TLS: CA bundle file.
    public var caFile: String?
    /// TLS: client certificate and key files.
    public var clientCertificate: String?
    public var clientKey: String?
    /// Use HTTP/2 (over TLS; `h2c` prior knowledge for http URLs).
    public var http2 = false
    /// The initial reconnection time in seconds before the stream sets `retry` (browsers use a few seconds; the
    /// spec leaves it to the user agent).
    public var initialReconnectionTime: Double = 1
    /// How long an event may wait for its blank line while the stream idles (`framing/terminated-promptly`).
    public var terminationGrace: Double = Self.defaultTerminationGrace
    /// Idle timeout: a probe that receives nothing for this long ends (harness side).
    public var idleTimeout: Double = 30
    /// Check ids the baseline expects to fail.
    public var expectedFailures: Set<String> = []
    /// Pacing override (ms) sent to scenario routes through the manifest's interval parameter, so fast runs
    /// stay fast; nil keeps each scenario's declared interval. Scenarios whose pacing is under test keep theirs.
    public var scenarioInterval: Int? = 20
    /// Run token passed to scenario servers so concurrent runs do not read each other's stats.
    public var runToken: String = "run"

    /// Creates a configuration.
    public init(target: String? = nil, scenariosBase: String? = nil) {
        self.target = target
        self.scenariosBase = scenariosBase
    }

    /// The modes this configuration runs.
    public var modes: Set<Mode> {
        var modes: Set<Mode> = []
        if target != nil { modes.insert(.passive) }
        if scenariosBase != nil { modes.insert(.scenarios) }
        return modes
    }

    /// The passive probes' request method (`--method`); scenario requests are always GET.
    public var method = "GET"
    /// The passive probes' request body (`--data`, `--data-file`); nil: none.
    public var body: [UInt8]?

    /// Query parameters to redact besides those whose names say they carry secrets (`--redact-param`).
    public var redactParameters: [String] = []
    /// Options the expected-failures baseline was written under, from its header (nil: not recorded).
    public var baselineOptions: BaselineOptions?
    /// Reasons given for baseline entries (`id  # reason`), by id.
    public var expectedFailureReasons: [String: String] = [:]

    /// Hides the secrets of this run (header values, URL user information, secret query parameters).
    public var redactor: Redactor {
        var redactor = Redactor(
            urls: [target, scenariosBase].compactMap { $0 },
            headers: headers.map { ($0.name, $0.value) },
            parameters: redactParameters
        )
        redactor.ownToken = runToken
        return redactor
    }

    /// Header values replaced by `<redacted>` wherever a report shows a request (always `Authorization`, which
    /// libcurl derives from URL user information).
    public var redactedHeaderNames: Set<String> { redactor.headerNames }

    /// The grace an event's blank line gets after its last line (`framing/terminated-promptly`) unless a run sets
    /// another.
    public static let defaultTerminationGrace = 0.5

    /// The longest wait before a passive reconnection: the stream's `retry` is honoured up to this many seconds, so
    /// a run stays bounded.
    public static let maxReconnectionDelay: Double = 5

    /// How long the shared passive probes may listen before every check can judge, in seconds: the primary, the
    /// reconnection (after at most ``maxReconnectionDelay``) and the held-open clients, one after another, each
    /// for up to `listen`. A check's timeout counts on top of it, so a longer `--listen` (which a buffering proxy
    /// needs) never turns into timeouts. Zero without a passive target (scenario probes bound themselves).
    public var probeWindow: Double {
        target == nil ? 0 : 3 * listen + Self.maxReconnectionDelay
    }
}

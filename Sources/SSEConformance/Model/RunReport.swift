/// Everything a run produced: what reporters turn into JUnit, JSON and the console summary.
public struct RunReport: Sendable, Hashable, Codable {
    /// The URL tested (credentials removed).
    public var target: String
    /// The profile.
    public var profile: Profile
    /// The modes that ran.
    public var modes: [Mode]
    /// The tool's version.
    public var toolVersion: String
    /// When the run started, ISO 8601 UTC without fraction (`2026-11-26T07:00:00`), as JUnit wants it.
    public var timestamp: String
    /// The machine's host name.
    public var hostname: String
    /// Whole-run wall time in seconds.
    public var duration: Double
    /// Whether SHOULD failures count as failures.
    public var strict: Bool
    /// One result per check that was selected, in catalogue order.
    public var results: [CheckResult]
    /// Output of a server the suite started (`--serve-command`), if any, tail kept.
    public var serverLog: String?
    /// The passive request when it is fetch-style (`POST with a 42-byte body (fetch-style)`); nil for GET.
    public var request: String?

    /// Creates a report.
    public init(
        target: String,
        profile: Profile,
        modes: [Mode],
        toolVersion: String,
        timestamp: String,
        hostname: String,
        duration: Double,
        strict: Bool,
        results: [CheckResult],
        serverLog: String? = nil,
        request: String? = nil
    ) {
        self.target = target
        self.profile = profile
        self.modes = modes
        self.toolVersion = toolVersion
        self.timestamp = timestamp
        self.hostname = hostname
        self.duration = duration
        self.strict = strict
        self.results = results
        self.serverLog = serverLog
        self.request = request
    }

    /// How many results have each status.
    public func count(_ status: OutcomeStatus) -> Int { results.filter { $0.status == status }.count }

    /// The groups in catalogue order, each with its results.
    public var groups: [(name: String, results: [CheckResult])] {
        var order: [String] = []
        var byGroup: [String: [CheckResult]] = [:]
        for result in results {
            if byGroup[result.group] == nil { order.append(result.group) }
            byGroup[result.group, default: []].append(result)
        }
        return order.map { ($0, byGroup[$0]!) }
    }
}

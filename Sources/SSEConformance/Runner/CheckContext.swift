/// What a check's run function gets: the configuration, the probes, and cached analyses of what they saw.
public final class CheckContext: Sendable {
    /// The run's configuration.
    public let configuration: RunConfiguration
    /// The connections to judge.
    public let probes: any Probes
    /// The passive probes ``streams()`` includes besides the primary: those the run's checks make anyway.
    public let streamProbes: StreamProbeSelection
    let cache: AnalysisCache

    /// Creates a context.
    public init(configuration: RunConfiguration, probes: any Probes, streamProbes: StreamProbeSelection = .all) {
        self.configuration = configuration
        self.probes = probes
        self.streamProbes = streamProbes
        self.cache = AnalysisCache()
    }

    /// The same run seen through other probes (a check's ``ProbeTiming``), sharing the analyses.
    init(_ shared: CheckContext, probes: any Probes) {
        self.configuration = shared.configuration
        self.probes = probes
        self.streamProbes = shared.streamProbes
        self.cache = shared.cache
    }

    /// The modes of this run.
    public var modes: Set<Mode> { configuration.modes }

    /// The primary passive exchange, analysed; nil when the run is scenarios only.
    public func primary() async throws -> StreamAnalysis? {
        guard modes.contains(.passive) else { return nil }
        return await analysis(of: try await probes.primary())
    }

    /// An exchange's body re-read by the spec parser with observations on: computed once per exchange and
    /// shared by every check that asks.
    public func analysis(of exchange: Exchange) async -> StreamAnalysis {
        await cache.analysis(of: exchange, maxLine: configuration.maxLine)
    }

    /// Every exchange that opened an event stream in this run, analysed: the primary, the reconnection and the
    /// concurrent clients when the run's checks make them (``streamProbes``), and every scenario connection.
    /// Framing checks judge all of them.
    public func streams() async throws -> [StreamAnalysis] {
        var exchanges: [Exchange] = []
        if modes.contains(.passive) {
            let primary = try await probes.primary()
            exchanges.append(primary)
            // A finished fetch-style answer is not re-asked: there is no reconnection to judge.
            if streamProbes.reconnection && configuration.resendRefusal(after: primary) == nil {
                exchanges.append(try await probes.reconnection())
            }
            if streamProbes.concurrentClients { exchanges += try await probes.concurrentClients() }
        }
        if modes.contains(.scenarios) {
            for run in try await probes.scenarioRuns() {
                exchanges += run.exchanges
            }
        }
        var result: [StreamAnalysis] = []
        for exchange in exchanges where exchange.opensEventSource {
            result.append(await analysis(of: exchange))
        }
        return result
    }
}

/// Analyses are computed once per exchange and shared by every check.
actor AnalysisCache {
    var analyses: [Int: StreamAnalysis] = [:]

    func analysis(of exchange: Exchange, maxLine: Int) -> StreamAnalysis {
        if let cached = analyses[exchange.serial] { return cached }
        let analysis = StreamAnalysis(exchange, maxLineLength: maxLine)
        analyses[exchange.serial] = analysis
        return analysis
    }
}

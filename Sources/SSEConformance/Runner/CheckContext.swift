/// What a check's run function gets: the configuration, the probes, and cached analyses of what they saw.
public final class CheckContext: Sendable {
    /// The run's configuration.
    public let configuration: RunConfiguration
    /// The connections to judge.
    public let probes: any Probes
    let cache = AnalysisCache()

    /// Creates a context.
    public init(configuration: RunConfiguration, probes: any Probes) {
        self.configuration = configuration
        self.probes = probes
    }

    /// The modes of this run.
    public var modes: Set<Mode> { configuration.modes }

    /// The primary passive exchange, analysed; nil when the run is scenarios only.
    public func primary() async throws -> StreamAnalysis? {
        guard modes.contains(.passive) else { return nil }
        let exchange = try await probes.primary()
        return await cache.analysis(of: exchange, key: "primary", maxLine: configuration.maxLine)
    }

    /// Every exchange that opened an event stream in this run, analysed: the primary, the reconnection, the
    /// concurrent clients, and every scenario connection. Framing checks judge all of them.
    public func streams() async throws -> [StreamAnalysis] {
        var exchanges: [(String, Exchange)] = []
        if modes.contains(.passive) {
            exchanges.append(("primary", try await probes.primary()))
            let reconnection = try await probes.reconnection()
            exchanges.append(("reconnection", reconnection))
            for (index, client) in try await probes.concurrentClients().enumerated() {
                exchanges.append(("client \(index)", client))
            }
        }
        if modes.contains(.scenarios) {
            for run in try await probes.scenarioRuns() {
                for (index, exchange) in run.exchanges.enumerated() {
                    exchanges.append(("scenario \(run.scenario.name) \(index)", exchange))
                }
            }
        }
        var result: [StreamAnalysis] = []
        for (key, exchange) in exchanges where exchange.opensEventSource {
            result.append(await cache.analysis(of: exchange, key: key, maxLine: configuration.maxLine))
        }
        return result
    }
}

/// Analyses are computed once per exchange and shared by every check.
actor AnalysisCache {
    var analyses: [String: StreamAnalysis] = [:]

    func analysis(of exchange: Exchange, key: String, maxLine: Int) -> StreamAnalysis {
        if let cached = analyses[key] { return cached }
        let analysis = StreamAnalysis(exchange, maxLineLength: maxLine)
        analyses[key] = analysis
        return analysis
    }
}

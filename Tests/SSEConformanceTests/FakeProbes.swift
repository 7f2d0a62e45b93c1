import SSEClient
import SSEScenarios

@testable import SSEConformance

/// Probes that return prepared exchanges: checks become pure judgements over them.
struct FakeProbes: Probes {
    var primaryExchange: Exchange?
    var reconnectionExchange: Exchange?
    var clients: [Exchange] = []
    var runs: [ScenarioRun] = []
    var abort: AbortReleaseProbe?

    func primary() async throws -> Exchange {
        guard let primaryExchange else { throw ProbeError("no primary prepared") }
        return primaryExchange
    }
    func reconnection() async throws -> Exchange {
        guard let reconnectionExchange else { throw ProbeError("no reconnection prepared") }
        return reconnectionExchange
    }
    func concurrentClients() async throws -> [Exchange] { clients }
    func scenarioRuns() async throws -> [ScenarioRun] { runs }
    func abortRelease() async throws -> AbortReleaseProbe {
        guard let abort else { throw ProbeError("no abort probe prepared") }
        return abort
    }
}

/// Builders for synthetic exchanges.
enum Wire {
    static let sseHeaders = [
        HTTPHeaderField(name: "Content-Type", value: "text/event-stream"),
        HTTPHeaderField(name: "Cache-Control", value: "no-cache"),
    ]

    /// A stream response whose body arrives as the given (time, text) chunks.
    static func stream(
        _ chunks: [(Double, String)],
        label: String = "primary",
        status: Int = 200,
        headers: [HTTPHeaderField] = sseHeaders,
        end: ExchangeEnd = .completed,
        endTime: Double? = nil,
        requestHeaders: [HTTPHeaderField] = [
            HTTPHeaderField(name: "Accept", value: "text/event-stream"),
            HTTPHeaderField(name: "Accept-Encoding", value: "gzip, br"),
        ]
    ) -> Exchange {
        bytes(
            chunks.map { ($0.0, Array($0.1.utf8)) },
            label: label,
            status: status,
            headers: headers,
            end: end,
            endTime: endTime,
            requestHeaders: requestHeaders
        )
    }

    static func bytes(
        _ chunks: [(Double, [UInt8])],
        label: String = "primary",
        status: Int = 200,
        headers: [HTTPHeaderField] = sseHeaders,
        end: ExchangeEnd = .completed,
        endTime: Double? = nil,
        requestHeaders: [HTTPHeaderField] = [
            HTTPHeaderField(name: "Accept", value: "text/event-stream"),
            HTTPHeaderField(name: "Accept-Encoding", value: "gzip, br"),
        ]
    ) -> Exchange {
        var offset = 0
        var bodyChunks: [BodyChunk] = []
        for (time, bytes) in chunks {
            bodyChunks.append(BodyChunk(offset: offset, time: time, bytes: bytes))
            offset += bytes.count
        }
        return Exchange(
            label: label,
            url: "http://127.0.0.1:9/sse",
            requestHeaders: requestHeaders,
            status: status,
            statusLine: "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")",
            responseHeaders: headers,
            chunks: bodyChunks,
            end: end,
            endTime: endTime ?? (chunks.last?.0 ?? 0)
        )
    }

    /// Five well-formed events, one every 100 ms, Nest style.
    static var goodPrimary: Exchange {
        stream(
            [(0.0, "\n")] + (1...5).map { (Double($0) * 0.1, "id: \($0)\ndata: {\"hello\":\"world\"}\n\n") },
            end: .stoppedListening,
            endTime: 0.55
        )
    }
}

/// Runs one check against fake probes.
func judge(
    _ id: String,
    _ probes: FakeProbes,
    configure: (inout RunConfiguration) -> Void = { _ in }
) async -> CheckResult {
    var configuration = RunConfiguration(target: "http://127.0.0.1:9/sse")
    configuration.profile = .nestjs
    configure(&configuration)
    guard let check = Catalogue.check(id) else { fatalError("no check \(id)") }
    let runner = Runner(configuration: configuration, checks: [check])
    return await runner.run(probes: probes)[0]
}

/// Runs one check in a scenarios-only run (no passive target) against fake probes.
func judgeScenarios(
    _ id: String,
    _ probes: FakeProbes,
    configure: (inout RunConfiguration) -> Void = { _ in }
) async -> CheckResult {
    await judge(id, probes) { configuration in
        configuration.target = nil
        configuration.scenariosBase = "http://127.0.0.1:9/"
        configure(&configuration)
    }
}

extension FakeProbes {
    /// The probes of a scenarios-only run: `runs`, the retry scenario's second connection as the reconnection
    /// (what the live probes give when there is no passive target), three clients on typed-mixed, and an abort
    /// whose producer stopped 50 ms later.
    static func scenarios(_ runs: [ScenarioRun] = SyntheticRun.allGood) -> FakeProbes {
        FakeProbes(
            reconnectionExchange: SyntheticRun.make(Scenario.Name.retry).exchanges[1],
            clients: (1...3).map { _ in SyntheticRun.make(Scenario.Name.typedMixed).exchanges[0] },
            runs: runs,
            abort: AbortReleaseProbe(abortedAt: 2, releasedAfter: 0.05, statsLog: ["+50 ms: producers 1/1 stopped"])
        )
    }
}

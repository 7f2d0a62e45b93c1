import Foundation
import SSEClient
import SSEScenarios
import ServerSentEvents
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The probes of a real run, made with the libcurl EventSource client. Each probe is made once, when a check
/// first asks for it, and shared; passive probes run one after another so none disturbs another's timing,
/// while scenarios run alongside.
public actor LiveProbes: Probes {
    let configuration: RunConfiguration
    let clock = ContinuousClock()
    let runStart: ContinuousClock.Instant
    var primaryTask: Task<Exchange, any Error>?
    var reconnectionTask: Task<Exchange, any Error>?
    var clientsTask: Task<[Exchange], any Error>?
    var scenariosTask: Task<[ScenarioRun], any Error>?
    var abortTask: Task<AbortReleaseProbe, any Error>?
    /// Where the primary stood when it ended: the reconnection's `Last-Event-ID` and delay come from it.
    var primaryState: (lastEventId: String, reconnectionTime: Int?) = ("", nil)

    /// Creates the probes for a run.
    public init(configuration: RunConfiguration) {
        self.configuration = configuration
        self.runStart = ContinuousClock.now
    }

    // MARK: Probes

    public func primary() async throws -> Exchange {
        if let primaryTask { return try await primaryTask.value }
        guard let target = configuration.target else { throw ProbeError("no --target for passive probes") }
        let task = Task { () async throws -> Exchange in
            let listened = await self.listen(
                url: target,
                label: "primary",
                lastEventId: nil,
                maxEvents: self.configuration.events,
                maxSeconds: self.configuration.listen
            )
            self.setPrimaryState(listened.lastEventId, listened.reconnectionTime)
            return listened.exchange
        }
        primaryTask = task
        return try await task.value
    }

    func setPrimaryState(_ id: String, _ retry: Int?) { primaryState = (id, retry) }

    public func reconnection() async throws -> Exchange {
        if let reconnectionTask { return try await reconnectionTask.value }
        let task = Task {
            if self.configuration.target == nil {
                return try await self.scenarioReconnection()
            }
            _ = try await self.primary()
            let state = self.primaryState
            // An EventSource waits the reconnection time (the stream's retry, else the initial value) before it
            // reconnects with the last event ID it saw. Long waits are capped so a run stays bounded.
            let delay = min(
                Double(state.reconnectionTime ?? Int(self.configuration.initialReconnectionTime * 1000)) / 1000,
                5
            )
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            return await self.listen(
                url: self.configuration.target!,
                label: "reconnection",
                lastEventId: state.lastEventId.isEmpty ? nil : state.lastEventId,
                maxEvents: 1,
                maxSeconds: min(self.configuration.listen, 3)
            ).exchange
        }
        reconnectionTask = task
        return try await task.value
    }

    public func concurrentClients() async throws -> [Exchange] {
        if let clientsTask { return try await clientsTask.value }
        let task = Task {
            let url: String
            if let target = self.configuration.target {
                _ = try? await self.reconnection()  // after the passive probes, so they are not disturbed
                url = target
            } else {
                let manifest = try await self.manifest()
                guard let scenario = manifest.scenario(named: "typed-mixed") ?? manifest.scenarios.first else {
                    throw ProbeError("the scenario manifest is empty")
                }
                url = self.scenarioURL(scenario, token: self.configuration.runToken + "-clients")
            }
            let count = self.configuration.clients
            return await withTaskGroup(of: (Int, Exchange).self) { group in
                for index in 0..<count {
                    group.addTask {
                        (
                            index,
                            await self.listen(
                                url: url,
                                label: "client \(index + 1) of \(count)",
                                lastEventId: nil,
                                maxEvents: self.configuration.events,
                                maxSeconds: self.configuration.listen
                            ).exchange
                        )
                    }
                }
                var exchanges = [Exchange?](repeating: nil, count: count)
                for await (index, exchange) in group { exchanges[index] = exchange }
                return exchanges.map { $0! }
            }
        }
        clientsTask = task
        return try await task.value
    }

    public func scenarioRuns() async throws -> [ScenarioRun] {
        if let scenariosTask { return try await scenariosTask.value }
        let task = Task {
            let manifest = try await self.manifest()
            return await withTaskGroup(of: (Int, ScenarioRun).self) { group in
                for (index, scenario) in manifest.scenarios.enumerated() {
                    group.addTask { (index, await self.run(scenario)) }
                }
                var runs = [ScenarioRun?](repeating: nil, count: manifest.scenarios.count)
                for await (index, run) in group { runs[index] = run }
                return runs.map { $0! }
            }
        }
        scenariosTask = task
        return try await task.value
    }

    public func abortRelease() async throws -> AbortReleaseProbe {
        if let abortTask { return try await abortTask.value }
        let task = Task { try await self.makeAbortRelease() }
        abortTask = task
        return try await task.value
    }

    /// Why the target cannot be tested at all (refused, DNS, TLS...), or nil when it answered.
    public func unreachableReason() async -> String? {
        if configuration.target != nil {
            guard let primary = try? await primary() else { return "the primary probe could not be made" }
            if primary.status == nil, case .failed(let reason) = primary.end { return reason }
            return nil
        }
        if configuration.scenariosBase != nil {
            do {
                _ = try await manifest()
                _ = try await stats(token: configuration.runToken + "-preflight")
                return nil
            } catch {
                return "\(error)"
            }
        }
        return "nothing to test: give --target or --scenarios"
    }

    // MARK: Scenarios

    /// The scenarios every target implements: the manifest in fixtures/scenarios/ (bundled into the tool).
    func manifest() async throws -> ScenarioManifest { ScenarioManifest.bundled }

    func scenarioURL(_ scenario: Scenario, token: String, manifest: ScenarioManifest = .bundled) -> String {
        var base = configuration.scenariosBase ?? ""
        if !base.hasSuffix("/") { base += "/" }
        var query = ["\(manifest.tokenParameter)=\(token)"]
        // The slow scenario's pacing is what is under test: it keeps its declared interval.
        if let interval = configuration.scenarioInterval, scenario.name != "slow" {
            query.insert("\(manifest.intervalParameter)=\(min(interval, scenario.intervalMs))", at: 0)
        }
        return base + scenario.path + "?" + query.joined(separator: "&")
    }

    /// Makes every declared connection of a scenario in turn, as an EventSource would: the next one waits the
    /// reconnection time the stream set (capped at 5 s), and carries the declared `Last-Event-ID`.
    func run(_ scenario: Scenario) async -> ScenarioRun {
        let token = configuration.runToken + "-" + scenario.name
        let url = scenarioURL(scenario, token: token)
        let interval =
            Double(
                scenario.name == "slow"
                    ? scenario.intervalMs
                    : min(configuration.scenarioInterval ?? scenario.intervalMs, scenario.intervalMs)
            ) / 1000
        var exchanges: [Exchange] = []
        var dispatched: [[ServerSentEvent]] = []
        var reconnectionTime: Int?
        for (index, expected) in scenario.connections.enumerated() {
            if index > 0, let reconnectionTime {
                try? await Task.sleep(for: .milliseconds(min(reconnectionTime, 5000)))
            }
            let endless = expected.end == .never
            let budget = min(configuration.checkTimeout, Double(scenario.events.count + 3) * interval * 2 + 5)
            let listened = await listen(
                url: url,
                label: "scenario \(scenario.name) connection \(index + 1)",
                lastEventId: expected.lastEventId,
                maxEvents: endless ? max(1, expected.dispatches.count) : Int.max,
                maxSeconds: budget
            )
            exchanges.append(listened.exchange)
            dispatched.append(listened.events)
            reconnectionTime = listened.reconnectionTime ?? reconnectionTime
        }
        return ScenarioRun(scenario: scenario, exchanges: exchanges, dispatchedPerConnection: dispatched)
    }

    /// The retry scenario's second connection, as the reconnection passive checks judge when there is no target.
    func scenarioReconnection() async throws -> Exchange {
        let runs = try await scenarioRuns()
        guard let run = runs.first(where: { $0.scenario.name == "retry" }), run.exchanges.count > 1 else {
            throw ProbeError("the manifest has no retry scenario with a reconnection")
        }
        var exchange = run.exchanges[1]
        exchange.label = "reconnection (retry scenario)"
        return exchange
    }

    func makeAbortRelease() async throws -> AbortReleaseProbe {
        let manifest = try await manifest()
        guard let scenario = manifest.scenario(named: "never") else {
            throw ProbeError("the manifest has no never-ending scenario to abort")
        }
        let token = configuration.runToken + "-abort"
        var log: [String] = []
        let listened = await listen(
            url: scenarioURL(scenario, token: token),
            label: "abort probe",
            lastEventId: nil,
            maxEvents: 2,
            maxSeconds: min(configuration.checkTimeout / 2, 10),
            aborting: true
        )
        let abortedAt = clock.now
        guard listened.exchange.opensEventSource else {
            throw ProbeError("the never-ending scenario did not open: \(listened.exchange.statusLine)")
        }
        // Poll the stats until the producer is reported stopped, for up to 3 s (the check allows 1 s).
        while clock.now - abortedAt < .seconds(3) {
            let counts = try await stats(token: token)
            log.append("+\(TranscriptText.milliseconds(seconds(clock.now - abortedAt))) ms: \(counts.text)")
            if counts.started > 0 && counts.stopped >= counts.started {
                return AbortReleaseProbe(
                    abortedAt: seconds(abortedAt - runStart),
                    releasedAfter: seconds(clock.now - abortedAt),
                    statsLog: log
                )
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return AbortReleaseProbe(abortedAt: seconds(abortedAt - runStart), releasedAfter: nil, statsLog: log)
    }

    /// Reads the stats endpoint for a token.
    func stats(token: String) async throws -> (started: Int, stopped: Int, text: String) {
        let manifest = try await manifest()
        var base = configuration.scenariosBase ?? ""
        if !base.hasSuffix("/") { base += "/" }
        guard let url = URL(string: base + manifest.statsPath + "?\(manifest.tokenParameter)=\(token)") else {
            throw ProbeError("bad stats URL")
        }
        var request = URLRequest(url: url, timeoutInterval: 5)
        for field in configuration.headers { request.setValue(field.value, forHTTPHeaderField: field.name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let text = String(decoding: data, as: UTF8.self)
        guard (response as? HTTPURLResponse)?.statusCode == 200, let json = try? JSONValue(parsing: text) else {
            throw ProbeError("the stats endpoint \(url) did not answer 200 with JSON: \(text.prefix(200))")
        }
        return (Int(json["producersStarted"]?.numberValue ?? 0), Int(json["producersStopped"]?.numberValue ?? 0), text)
    }

    // MARK: One connection

    struct Listened {
        var exchange: Exchange
        var events: [ServerSentEvent]
        var lastEventId: String
        var reconnectionTime: Int?
    }

    /// One request, as an EventSource with no reconnection: listens until `maxEvents` events, the end of the
    /// response, or `maxSeconds`; records everything.
    func listen(
        url: String,
        label: String,
        lastEventId: String?,
        maxEvents: Int,
        maxSeconds: Double,
        aborting: Bool = false
    ) async -> Listened {
        let started = clock.now
        var client = EventSource.Configuration()
        client.maxReconnections = 0
        client.lastEventId = lastEventId ?? ""
        client.headers = configuration.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) }
        if let origin = configuration.origin { client.headers.append(HTTPHeaderField(name: "Origin", value: origin)) }
        client.httpVersion =
            configuration.http2 ? (url.lowercased().hasPrefix("https") ? .http2 : .http2PriorKnowledge) : .http1_1
        client.sharesConnections = false
        client.idleTimeout = .milliseconds(Int(configuration.idleTimeout * 1000))
        client.insecure = configuration.insecure
        client.caFile = configuration.caFile
        client.clientCertificateFile = configuration.clientCertificate
        client.clientKeyFile = configuration.clientKey
        client.abortsWithReset = aborting
        client.parser = EventStreamParser.Configuration(
            maxLineLength: configuration.maxLine,
            maxEventSize: max(configuration.maxLine, 1 << 20)
        )
        client.transcript.recordsBody = true
        client.transcript.maxBodyBytes = max(4 << 20, configuration.maxLine * 2)
        client.transcript.redact = EventSource.TranscriptConfiguration.redacting(configuration.headers.map(\.name))
        let source: EventSource
        do {
            source = try EventSource(url: url, configuration: client)
        } catch {
            let exchange = Exchange(
                label: label,
                url: url,
                startedAt: seconds(started - runStart),
                status: nil,
                end: .failed("\(error)")
            )
            return Listened(exchange: exchange, events: [], lastEventId: lastEventId ?? "", reconnectionTime: nil)
        }
        let stoppedByUs = StopFlag()
        let timer = Task {
            try? await Task.sleep(for: .milliseconds(Int(maxSeconds * 1000)))
            if !Task.isCancelled {
                stoppedByUs.set()
                source.close()
            }
        }
        var events: [ServerSentEvent] = []
        var parserLastId = lastEventId ?? ""
        loop: for await event in source.events {
            switch event {
            case .message(let message):
                events.append(message)
                parserLastId = message.lastEventId
                if events.count >= maxEvents {
                    stoppedByUs.set()
                    source.close()
                }
            case .closed:
                break loop
            case .open, .error:
                continue
            }
        }
        timer.cancel()
        let transcript = source.transcript
        let exchange = makeExchange(
            transcript.attempts.first,
            label: label,
            url: url,
            started: started,
            stoppedByUs: stoppedByUs.isSet,
            aborting: aborting
        )
        return Listened(
            exchange: exchange,
            events: events,
            lastEventId: source.lastEventId.isEmpty ? parserLastId : source.lastEventId,
            reconnectionTime: reconnectionTime(of: exchange)
        )
    }

    /// The reconnection time the stream set, read on the parser's fast path (no observations needed).
    func reconnectionTime(of exchange: Exchange) -> Int? {
        var parser = EventStreamParser(
            configuration: .init(
                maxLineLength: configuration.maxLine,
                maxEventSize: max(configuration.maxLine, 1 << 20)
            )
        )
        for chunk in exchange.chunks {
            chunk.bytes.withUnsafeBytes { parser.parse($0) { _ in } }
        }
        return parser.reconnectionTime
    }

    func makeExchange(
        _ attempt: Transcript.Attempt?,
        label: String,
        url: String,
        started: ContinuousClock.Instant,
        stoppedByUs: Bool,
        aborting: Bool
    ) -> Exchange {
        guard let attempt else {
            return Exchange(
                label: label,
                url: url,
                startedAt: seconds(started - runStart),
                status: nil,
                end: .failed("no attempt was made")
            )
        }
        let head = attempt.response
        let reason = attempt.curlMessage ?? "curl code \(attempt.curlCode ?? -1)"
        let end: ExchangeEnd
        switch attempt.ending {
        case .endOfBody?, .rejected?: end = head == nil ? .failed(reason) : .completed
        case .abortedByClient?:
            if head == nil {
                end = .failed("no response head within \(TranscriptText.milliseconds(seconds(clock.now - started))) ms")
            } else {
                end = aborting ? .aborted : .stoppedListening
            }
        case .reset?:
            end = head == nil ? .failed("connection reset: \(reason)") : .broken("connection reset: \(reason)")
        case .truncated?:
            end = head == nil ? .failed("closed before any response: \(reason)") : .broken("truncated: \(reason)")
        case .timedOut?: end = head == nil ? .failed("timed out: \(reason)") : .idleTimeout(configuration.idleTimeout)
        case .networkError?, .setupFailed?: end = head == nil ? .failed(reason) : .broken(reason)
        case nil:
            end = head == nil ? .failed("no response") : (stoppedByUs ? .stoppedListening : .broken("still running"))
        }
        let chunks = attempt.chunks.map {
            BodyChunk(offset: $0.offset, time: seconds($0.receivedAt - attempt.startedAt), bytes: $0.bytes)
        }
        return Exchange(
            label: label,
            url: url,
            startedAt: seconds(attempt.startedAt - runStart),
            requestHeaders: (attempt.requests.last?.headers ?? []).map { HTTPField($0.name, $0.value) },
            status: head?.status,
            statusLine: head?.statusLine ?? "",
            responseHeaders: (head?.headers ?? []).map { HTTPField($0.name, $0.value) },
            chunks: chunks,
            droppedBytes: attempt.droppedBodyBytes,
            end: end,
            endTime: attempt.endedAt.map { seconds($0 - attempt.startedAt) } ?? seconds(clock.now - attempt.startedAt),
            redirects: max(0, attempt.responses.count - 1)
        )
    }

    nonisolated func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

/// Set once from any task.
final class StopFlag: Sendable {
    private let flag = Mutex(false)
    func set() { flag.withLock { $0 = true } }
    var isSet: Bool { flag.withLock { $0 } }
}

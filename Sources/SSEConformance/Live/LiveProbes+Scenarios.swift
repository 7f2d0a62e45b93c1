import SSEClient
import SSEScenarios
import ServerSentEvents

/// Scenarios: every declared connection of each scenario in the manifest, the abort-release probe and the stats
/// endpoint it polls.
extension LiveProbes {
    /// The scenarios every target implements: the manifest in fixtures/scenarios/ (bundled into the tool).
    func manifest() async throws -> ScenarioManifest { ScenarioManifest.bundled }

    func scenarioURL(_ scenario: Scenario, token: String, manifest: ScenarioManifest = .bundled) -> String {
        var base = configuration.scenariosBase ?? ""
        if !base.hasSuffix("/") { base += "/" }
        var query = ["\(manifest.tokenParameter)=\(token)"]
        // The slow scenario's pacing is what is under test: it keeps its declared interval.
        if let interval = configuration.scenarioInterval, scenario.name != Scenario.Name.slow {
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
                scenario.name == Scenario.Name.slow
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
        guard let run = runs.first(where: { $0.scenario.name == Scenario.Name.retry }), run.exchanges.count > 1 else {
            throw ProbeError("the manifest has no retry scenario with a reconnection")
        }
        var exchange = run.exchanges[1]
        exchange.label = "reconnection (retry scenario)"
        return exchange
    }

    func makeAbortRelease() async throws -> AbortReleaseProbe {
        let manifest = try await manifest()
        guard let scenario = manifest.scenario(named: Scenario.Name.never) else {
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
        // Poll the stats until the producer is reported stopped, for up to 3 s (the check allows 1 s). A "stopped"
        // answer bounds the stop from above by its arrival; a "running" answer bounds it from below by its request's
        // sending (the server read the counts after that), so a slow stats endpoint cannot pass for a slow producer.
        var stillRunningAt: Double?
        while clock.now - abortedAt < .seconds(3) {
            let sent = seconds(clock.now - abortedAt)
            let counts = try await stats(token: token)
            let answered = seconds(clock.now - abortedAt)
            log.append(
                "+\(TranscriptText.milliseconds(answered)) ms (asked at +\(TranscriptText.milliseconds(sent)) ms): "
                    + counts.text
            )
            if counts.started > 0 && counts.stopped >= counts.started {
                return AbortReleaseProbe(
                    abortedAt: seconds(abortedAt - runStart),
                    releasedAfter: answered,
                    stillRunningAt: stillRunningAt,
                    statsLog: log,
                    exchange: listened.exchange
                )
            }
            stillRunningAt = sent
            try await Task.sleep(for: .milliseconds(50))
        }
        return AbortReleaseProbe(
            abortedAt: seconds(abortedAt - runStart),
            releasedAfter: nil,
            stillRunningAt: stillRunningAt,
            statsLog: log,
            exchange: listened.exchange
        )
    }

    /// Reads the stats endpoint for a token, with the run's headers and TLS settings; at most 5 s.
    func stats(token: String) async throws -> (started: Int, stopped: Int, text: String) {
        let manifest = try await manifest()
        var base = configuration.scenariosBase ?? ""
        if !base.hasSuffix("/") { base += "/" }
        let url = base + manifest.statsPath + "?\(manifest.tokenParameter)=\(token)"
        let response: FetchResponse
        do {
            response = try await fetch(
                url: url,
                headers: configuration.headers,
                timeout: .seconds(5),
                insecure: configuration.insecure,
                caFile: configuration.caFile,
                clientCertificateFile: configuration.clientCertificate,
                clientKeyFile: configuration.clientKey
            )
        } catch let error as FetchError {
            throw ProbeError("the stats endpoint \(url) did not answer: \(error)")
        }
        let text = response.text
        guard response.status == 200, let json = try? JSONValue(parsing: text) else {
            throw ProbeError(
                "the stats endpoint \(url) did not answer 200 with JSON (\(response.head.statusLine)): \(text.prefix(200))"
            )
        }
        return (Int(json["producersStarted"]?.numberValue ?? 0), Int(json["producersStopped"]?.numberValue ?? 0), text)
    }
}

import SSEScenarios

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
    var primaryState: (lastEventId: String, reconnectionTime: Int?, events: Int) = ("", nil, 0)
    /// Where the connections report while they listen (a console's progress, `--dump`), if anywhere.
    let activity: ProbeActivity?
    /// The passive probes the run's checks will ask for (``Probes/expect(_:)``): the concurrent clients start
    /// beside the primary only when they will be asked for.
    var expected = StreamProbeSelection.all
    /// The concurrent clients started beside the primary, once its stream opened (see ``startClientsBeside()``).
    var besideClients: (group: ClientGroup, task: Task<[Exchange], Never>)?
    /// What became of them when the primary ended; nil until then.
    var besideOutcome: BesideOutcome?
    /// When the primary ended: the reconnection waits the reconnection time from here.
    var primaryEnded: ContinuousClock.Instant?

    /// Creates the probes for a run; `activity` hears from every connection while it listens.
    public init(configuration: RunConfiguration, activity: ProbeActivity? = nil) {
        self.configuration = configuration
        self.runStart = ContinuousClock.now
        self.activity = activity
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
                maxSeconds: self.configuration.listen,
                onOpen: { Task { await self.startClientsBeside() } },
                sendsTargetRequest: true
            )
            self.setPrimaryState(listened.lastEventId, listened.reconnectionTime, listened.eventCount)
            self.settleClientsBeside(after: listened)
            return listened.exchange
        }
        primaryTask = task
        return try await task.value
    }

    func setPrimaryState(_ id: String, _ retry: Int?, _ events: Int) {
        primaryState = (id, retry, events)
        primaryEnded = clock.now
    }

    public func expect(_ probes: StreamProbeSelection) { expected = probes }

    public func reconnection() async throws -> Exchange {
        if let reconnectionTask { return try await reconnectionTask.value }
        let task = Task {
            if self.configuration.target == nil {
                return try await self.scenarioReconnection()
            }
            let primary = try await self.primary()
            // A fetch-style answer that ended by itself is not re-asked (the reconnect checks skip, saying why).
            if let refusal = self.configuration.resendRefusal(after: primary) { throw ProbeError(refusal) }
            // Clients beside the primary that a one-at-a-time server keeps waiting go first: the reconnection
            // would otherwise queue behind them.
            // The reconnection time then counts from when they were closed, as it does from the primary's end.
            var closedAt = self.primaryEnded
            if self.besideOutcome == .queued, let beside = self.besideClients {
                _ = await beside.task.value
                closedAt = self.clock.now
            }
            let state = self.primaryState
            // An EventSource waits the reconnection time (the stream's retry, else the initial value) after the
            // stream ended before it reconnects with the last event ID it saw. Long waits are capped so a run stays
            // bounded.
            let delay = min(
                Double(state.reconnectionTime ?? Int(self.configuration.initialReconnectionTime * 1000)) / 1000,
                RunConfiguration.maxReconnectionDelay
            )
            let since = closedAt.map { self.seconds(self.clock.now - $0) } ?? 0
            if delay > since { try await Task.sleep(for: .milliseconds(Int((delay - since) * 1000))) }
            // The reconnection gets the whole window the user allowed: a buffering proxy may hold its head for
            // seconds, and a missing answer must be a real one, not our impatience.
            return await self.listen(
                url: self.configuration.target!,
                label: "reconnection",
                lastEventId: state.lastEventId.isEmpty ? nil : state.lastEventId,
                maxEvents: 1,
                maxSeconds: self.configuration.listen,
                sendsTargetRequest: true
            ).exchange
        }
        reconnectionTask = task
        return try await task.value
    }

    public func concurrentClients() async throws -> [Exchange] {
        if let clientsTask { return try await clientsTask.value }
        let task = Task {
            let url: String
            // Each client waits for what the primary got: events if it got events, else its first body byte (a
            // quiet stream of comments); the scenario's clients wait for --events events.
            var wanted = self.configuration.events
            var waitsForBytes = false
            if let target = self.configuration.target {
                // Clients that ran beside the primary are the answer, unless a refusal made them worthless.
                _ = try? await self.primary()
                if let clients = await self.clientsBeside() { return clients }
                _ = try? await self.reconnection()  // after the passive probes, so they are not disturbed
                url = target
                let primaryEvents = self.primaryState.events
                // A primary that got nothing leaves clients nothing to wait for (delivery/concurrent-clients skips).
                if let primary = try? await self.primary(), primary.chunks.isEmpty { return [Exchange]() }
                if primaryEvents > 0 {
                    wanted = min(primaryEvents, self.configuration.events)
                } else {
                    wanted = Int.max
                    waitsForBytes = true
                }
            } else {
                let manifest = try await self.manifest()
                guard let scenario = manifest.scenario(named: Scenario.Name.typedMixed) ?? manifest.scenarios.first
                else {
                    throw ProbeError("the scenario manifest is empty")
                }
                url = self.scenarioURL(scenario, token: self.configuration.runToken + "-clients")
            }
            let members = ClientGroup(
                count: self.configuration.clients,
                goal: waitsForBytes ? .firstByte : .events(wanted)
            )
            return await self.hold(members, url: url, passive: self.configuration.target != nil)
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

    /// Cancels every probe in flight (the run was stopped): their connections are closed at once.
    public func cancel() {
        besideClients?.task.cancel()
        primaryTask?.cancel()
        reconnectionTask?.cancel()
        clientsTask?.cancel()
        scenariosTask?.cancel()
        abortTask?.cancel()
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

    nonisolated func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

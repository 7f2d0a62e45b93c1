import Synchronization

/// The time a check's probes took: the probes are shared and made once, so the check that first asks waits
/// for them and the others get them at once; a check's wall time says little. Each check sees the run's
/// probes through a ``ProbeTiming`` that notes the connections it was given, and its time is the time those
/// connections took (their union, from each connection's start to its end).
final class ProbeTiming: Probes {
    let base: any Probes
    let spans = Mutex<[(start: Double, end: Double)]>([])

    init(_ base: any Probes) { self.base = base }

    /// Seconds covered by the connections handed out (overlaps counted once).
    var seconds: Double {
        let sorted = spans.withLock { $0 }.sorted { $0.start < $1.start }
        var total = 0.0
        var current: (start: Double, end: Double)?
        for span in sorted {
            if let open = current, span.start <= open.end {
                current = (open.start, max(open.end, span.end))
            } else {
                if let open = current { total += open.end - open.start }
                current = span
            }
        }
        if let open = current { total += open.end - open.start }
        return total
    }

    func note(_ exchanges: [Exchange]) {
        spans.withLock { spans in
            for exchange in exchanges where exchange.endTime > 0 {
                spans.append((exchange.startedAt, exchange.startedAt + exchange.endTime))
            }
        }
    }

    func primary() async throws -> Exchange {
        let exchange = try await base.primary()
        note([exchange])
        return exchange
    }

    func reconnection() async throws -> Exchange {
        let exchange = try await base.reconnection()
        note([exchange])
        return exchange
    }

    func concurrentClients() async throws -> [Exchange] {
        let exchanges = try await base.concurrentClients()
        note(exchanges)
        return exchanges
    }

    func scenarioRuns() async throws -> [ScenarioRun] {
        let runs = try await base.scenarioRuns()
        note(runs.flatMap(\.exchanges))
        return runs
    }

    func expect(_ probes: StreamProbeSelection) async { await base.expect(probes) }

    func abortRelease() async throws -> AbortReleaseProbe {
        let probe = try await base.abortRelease()
        spans.withLock { $0.append((probe.abortedAt, probe.abortedAt + (probe.releasedAfter ?? 0))) }
        return probe
    }
}

/// Runs checks against probes: concurrently where they do not interfere (probes are shared and made once),
/// each with a timeout, the whole run under a deadline. Harness trouble is an `error` outcome, never a
/// failure and never a crash.
public struct Runner: Sendable {
    /// The run's configuration.
    public var configuration: RunConfiguration
    /// The checks to run, in report order.
    public var checks: [Check]
    /// How many checks run at once.
    public var parallelism = 4
    /// Ends the run early (signal, deadline, a started server that exited): running checks end at once as
    /// `error` with the reason, the rest are not started and are reported the same way.
    public var stop: RunStop?
    /// When the whole-run deadline falls; nil: `configuration.deadline` seconds after ``run(probes:progress:)``
    /// starts. A session sets it at its own start, so the time spent before the checks counts.
    public var deadline: ContinuousClock.Instant?

    /// Creates a runner.
    public init(configuration: RunConfiguration, checks: [Check]) {
        self.configuration = configuration
        self.checks = checks
    }

    /// Runs every check; calls `progress` as each one finishes (in completion order). Results are returned in
    /// report order.
    public func run(
        probes: any Probes,
        progress: @escaping @Sendable (CheckResult) -> Void = { _ in }
    ) async -> [CheckResult] {
        let context = CheckContext(
            configuration: configuration,
            probes: probes,
            streamProbes: StreamProbeSelection(checks: checks)
        )
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = self.deadline ?? start + .milliseconds(Int(configuration.deadline * 1000))
        var results: [CheckResult?] = Array(repeating: nil, count: checks.count)
        // The probes the selected checks need start at once, instead of when a check that asks for one gets one of
        // the `parallelism` slots (which checks waiting on other probes may hold for seconds): the scenario runs,
        // beside the passive chain (primary, then its reconnection, then the held-open clients, which live probes
        // start beside the primary when they can; see LiveProbes+Beside.swift). The abort probe still waits for its check:
        // started in the first burst of scenario connections, a loaded uvicorn once reported its producer running
        // 3 s after the abort, so it keeps the quieter moment it was proven in.
        let needs = context.streamProbes
        await probes.expect(needs)
        let scenarios =
            configuration.modes.contains(.scenarios) && checks.contains { $0.modes.contains(.scenarios) }
        let passive = configuration.modes.contains(.passive) && checks.contains { $0.modes.contains(.passive) }
        let warming = Task {
            await withTaskGroup(of: Void.self) { group in
                if scenarios { group.addTask { _ = try? await probes.scenarioRuns() } }
                if passive {
                    group.addTask {
                        // A stream that never opened is left to the checks (most skip): no probe made for nothing.
                        guard let primary = try? await probes.primary(), primary.opensEventSource else { return }
                        if needs.reconnection { _ = try? await probes.reconnection() }
                        if needs.concurrentClients { _ = try? await probes.concurrentClients() }
                    }
                }
            }
        }
        defer { warming.cancel() }
        await withTaskGroup(of: (Int, CheckResult).self) { group in
            var next = 0
            func launch() {
                guard next < checks.count, stop?.reason == nil else { return }
                let index = next
                next += 1
                let check = checks[index]
                group.addTask {
                    (index, await self.runOne(check, context: context, deadline: deadline, clock: clock))
                }
            }
            for _ in 0..<min(parallelism, checks.count) { launch() }
            for await (index, result) in group {
                results[index] = result
                progress(result)
                launch()
            }
        }
        // Checks never started because the run was stopped.
        return results.enumerated().map { index, result in
            if let result { return result }
            let check = checks[index]
            return CheckResult(
                id: check.id,
                level: check.effectiveLevel(modes: configuration.modes),
                summary: check.summary,
                reference: check.reference,
                status: .error,
                message: "not run: \(stop?.reason ?? "the run was stopped")"
            )
        }
    }

    func runOne(
        _ check: Check,
        context: CheckContext,
        deadline: ContinuousClock.Instant,
        clock: ContinuousClock
    ) async -> CheckResult {
        let started = clock.now
        let remaining =
            Double((deadline - started).components.seconds) + Double((deadline - started).components.attoseconds)
            * 1e-18
        let level = check.effectiveLevel(modes: configuration.modes)
        let timing = ProbeTiming(context.probes)
        let context = CheckContext(context, probes: timing)
        var result = CheckResult(
            id: check.id,
            level: level,
            summary: check.summary,
            reference: check.reference,
            status: .error
        )
        if configuration.isFetchStyle {
            result.fetchStyle = "\(check.fetchStyle.kind.rawValue): \(check.fetchStyle.reason)"
        }
        if remaining <= 0 {
            result.message = "not run: the whole-run deadline (--deadline \(configuration.deadline) s) was reached"
            return apply(baselineTo: result)
        }
        let allowed = configuration.checkTimeout + configuration.probeWindow
        let limit = min(allowed, remaining)
        let verdict: Verdict
        do {
            verdict = try await withDeadline(seconds: limit, stop: stop) {
                if let reason = await OpenStreamGate.reason(for: check, context: context) {
                    return .notApplicable(reason: reason)
                }
                return try await check.run(context)
            }
        } catch let error as RunStopped {
            verdict = .harnessError(reason: "not finished: \(error.reason)")
        } catch let error as TimedOut {
            let which: String
            if limit < allowed {
                which = "the whole-run deadline (--deadline)"
            } else if configuration.probeWindow > 0 {
                let window = TranscriptText.seconds(configuration.probeWindow)
                which = "the check timeout (--timeout, counted after the probes' \(window) s of listening)"
            } else {
                which = "the check timeout (--timeout)"
            }
            verdict = .harnessError(reason: "\(error.description): \(which) was reached")
        } catch {
            verdict = .harnessError(reason: String(describing: error))
        }
        let elapsed = clock.now - started
        // The time its probes took (shared probes make a check's own wait say little), or its own if longer.
        result.duration = max(
            timing.seconds,
            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        )
        switch verdict {
        case .held(let evidence):
            result.status = .pass
            result.evidence = evidence
        case .observed(let note, let evidence):
            result.status = .info
            result.message = note
            result.evidence = evidence
        case .notApplicable(let reason):
            result.status = .skip
            result.message = reason
        case .harnessError(let reason, let evidence):
            result.status = .error
            result.message = reason
            result.evidence = evidence
        case .broken(let expected, let actual, let evidence):
            result.expected = expected
            result.actual = actual
            result.evidence = evidence
            switch level {
            case .must: result.status = .fail
            case .should: result.status = configuration.strict ? .fail : .warn
            case .info:
                result.status = .info
                result.message = "observed: \(actual) (expected \(expected)); INFO, not a verdict"
            }
        }
        return apply(baselineTo: result)
    }

    /// An expected-failures baseline turns a known failure into a skip, and a listed check that now passes into a
    /// failure (so the baseline is kept honest).
    func apply(baselineTo result: CheckResult) -> CheckResult {
        guard configuration.expectedFailures.contains(result.id) else { return result }
        var result = result
        let reason = configuration.expectedFailureReasons[result.id].map { ": " + $0 } ?? ""
        switch result.status {
        case .fail:
            result.status = .skip
            result.expectedFailure = true
            result.message = "expected failure (baseline\(reason)): \(result.actual)"
        case .warn where configuration.baselineOptions?.strict == true && !configuration.strict:
            // Written under --strict, where this warning was a failure: not fixed, only not strict now.
            result.expectedFailure = true
            result.message =
                "listed in the baseline\(reason), which was written with --strict; without --strict the check warns (not fixed)"
        case .pass, .warn:
            let outcome = result.status == .warn ? "only warned" : "passed"
            result.status = .fail
            result.expectedFailure = true
            result.expected = "a failure, as the expected-failures baseline lists"
            result.actual = "the check \(outcome): remove \(result.id) from the baseline"
        case .skip, .error, .info:
            break
        }
        return result
    }
}

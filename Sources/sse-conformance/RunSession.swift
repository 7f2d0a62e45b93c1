import Foundation
import SSEConformance
import SSEReferenceServer
import SSEReporting

/// One `sse-conformance run`: sets up the target, runs the checks, writes the reports, picks the exit code.
///
/// The run is bounded and interruptible: one ``RunStop`` fires on the first SIGINT/SIGTERM, at the whole-run
/// deadline, or when a `--serve-command` server exits; whatever phase the run is in ends at once, the probes'
/// connections are closed, the started server's group is stopped and every report is written, the unfinished
/// checks as errors.
struct RunSession {
    var options: RunOptions
    let started = ContinuousClock.now
    let timestamp = RunSession.utcTimestamp()
    let stop = RunStop()
    /// Every report the run wrote, for the list printed at the end; each writer adds its own.
    let written = WrittenReports()

    init(options: RunOptions) {
        self.options = options
    }

    /// What the run set up, for the end of the run.
    struct Setup {
        var configuration: RunConfiguration
        var redactor: Redactor
        var embedded: RunningServer?
        var launched: ServerProcess?
        /// Whether the console's header was printed at the start (the report then leaves it out).
        var headerShown = false
        /// The probes, once made: their connections go into the HTML report.
        var probes: LiveProbes?
    }

    func run() async -> Int32 {
        let stop = self.stop
        let trap = SignalTrap { signal in
            stop.stop(.signal(signal), reason: "interrupted by \(SignalTrap.name(signal))")
        }
        let deadlineAt = started + .milliseconds(Int(options.deadline * 1000))
        let deadline = options.deadline
        let timer = Task {
            try? await Task.sleep(until: deadlineAt, clock: .continuous)
            if !Task.isCancelled {
                stop.stop(.deadline, reason: "the whole-run deadline (--deadline \(deadline) s) was reached")
            }
        }
        defer { timer.cancel() }
        do {
            _ = try options.requestBody()  // a --data-file that vanished since validation: say so, send nothing
        } catch {
            Console.error("sse-conformance: \(error)")
            return 2
        }
        var configuration = makeConfiguration()
        var setup = Setup(configuration: configuration, redactor: configuration.redactor)
        if let note = baselineNote(configuration) { status(note, setup) }

        // The target: the built-in server, a command we start, or a URL.
        if options.target == nil && options.scenarios == nil {
            do {
                let server = try await ReferenceServer.start(host: "127.0.0.1", port: 0)
                setup.embedded = server
                configuration.target = server.baseURL + "sse?interval=\(EmbeddedPacing.sampleIntervalMs)"
                configuration.scenariosBase = server.baseURL
                configuration.scenarioInterval = EmbeddedPacing.scenarioIntervalMs
                configuration.profile = options.profile ?? .nestjs
                setup.configuration = configuration
                status(
                    "testing the built-in reference server at \(server.baseURL) (profile \(configuration.profile.rawValue), fast pacing)",
                    setup
                )
            } catch {
                Console.error("sse-conformance: could not start the built-in reference server: \(error)")
                return 2
            }
        } else if let command = options.serveCommand, let target = options.target {
            if let taken = await portTakenMessage(target) {
                status("sse-conformance: \(taken)", setup)
                return await finish(setup, results: couldNotTest(setup, reason: taken), couldNotTest: true)
            }
            status("starting: \(command)", setup)
            do {
                let process = try ServerProcess.start(command: command, logDirectory: reportsDirectory)
                setup.launched = process
                trap.guardServerGroup(process.pid)
                let timeout = options.serveTimeout
                try await stop.race { try await process.waitUntilAnswering(url: target, timeout: timeout) }
            } catch is RunStopped {
                return await finish(setup, results: couldNotTest(setup, reason: stop.reason ?? ""), couldNotTest: true)
            } catch {
                let log = setup.launched.map { Self.lastLines($0.logTail()) } ?? ""
                status(
                    "sse-conformance: \(error)" + (log.isEmpty ? "" : "\n--- server output (tail) ---\n" + log),
                    setup
                )
                return await finish(setup, results: couldNotTest(setup, reason: "\(error)"), couldNotTest: true)
            }
        }
        // The header first, before any probe connects.
        Console.write(
            consoleFD,
            console.header(
                target: setup.redactor.url(configuration.target ?? configuration.scenariosBase ?? ""),
                profile: configuration.profile,
                modes: Mode.allCases.filter { configuration.modes.contains($0) },
                toolVersion: ToolVersion.current,
                request: configuration.fetchStyleRequest
            )
        )
        setup.headerShown = true
        let monitor = setup.launched.map { process in
            Task {
                while !Task.isCancelled {
                    if process.groupIsGone {
                        stop.stop(
                            .serverExited,
                            reason: "the --serve-command server \(process.exitDescription) during the run"
                        )
                        return
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
        }
        // Stopped (and awaited) before the reports are finished: finishing stops the server's group, which the
        // monitor must not then take for the server dying during the run.
        func endMonitor() async {
            monitor?.cancel()
            await monitor?.value
        }

        let checks = Catalogue.select(
            profile: configuration.profile,
            modes: configuration.modes,
            only: options.only,
            skip: options.skip
        )
        let progress = Progress(
            live: Console.isTerminal(2),
            verbose: options.verbose,
            width: Console.width(2)
        )
        let activity = progress.makeActivity(dumpsPrimary: options.dump)
        let probes = LiveProbes(configuration: configuration, activity: activity)
        setup.probes = probes

        // Unreachable target, or a first response that says the setup is wrong: a clear exit 2 with every
        // selected check reported as an error.
        let unreachable: String?
        do {
            unreachable = try await stop.race { await probes.unreachableReason() }
        } catch {
            progress.done()
            await probes.cancel()
            await endMonitor()
            return await finish(setup, results: couldNotTest(setup, reason: stop.reason ?? "\(error)"))
        }
        let shown = setup.redactor.url(configuration.target ?? configuration.scenariosBase ?? "")
        if unreachable != nil { progress.done() }
        if let unreachable {
            status("sse-conformance: could not test \(shown): \(unreachable)", setup)
            await endMonitor()
            return await finish(
                setup,
                results: couldNotTest(setup, reason: "target unreachable: \(unreachable)"),
                couldNotTest: true
            )
        }
        if configuration.target != nil, let primary = try? await probes.primary(), let code = primary.status,
            let hint = SetupHint.forStatus(code, method: configuration.method)
        {
            progress.done()
            let answer = "the first request was answered \(primary.statusLine.isEmpty ? "\(code)" : primary.statusLine)"
            status("sse-conformance: could not test \(shown): \(answer)\nhint: \(hint)", setup)
            var results = couldNotTest(setup, reason: "could not test: \(answer); \(hint)")
            if !results.isEmpty {
                results[0].evidence = Evidence(
                    summary: answer,
                    transcript: TranscriptText.transcript(primary, redacting: configuration.redactedHeaderNames)
                )
            }
            await endMonitor()
            return await finish(setup, results: results, couldNotTest: true)
        }

        progress.checksStarted(total: checks.count)
        var runner = Runner(configuration: configuration, checks: checks)
        runner.stop = stop
        runner.deadline = deadlineAt
        let redactor = setup.redactor
        let results = await runner.run(probes: probes) { result in
            progress.finished(redactor.scrub(result))
        }
        progress.done()
        await probes.cancel()
        await endMonitor()
        return await finish(setup, results: results)
    }

    /// "Something already answers" when `--serve-command`'s target port is taken before it starts.
    func portTakenMessage(_ target: String) async -> String? {
        guard await TCPConnectProbe.accepts(target), let url = URL(string: target), let host = url.host else {
            return nil
        }
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        return
            "something already answers on \(host):\(port) before --serve-command started: stop it or choose another port"
    }

    /// Stops what the run started, writes the reports and picks the exit code: 128 + the signal after a signal,
    /// 2 when a report could not be written, the target could not be tested or the started server exited,
    /// otherwise ``exitCode(_:)``.
    func finish(_ setup: Setup, results: [CheckResult], couldNotTest: Bool = false) async -> Int32 {
        if let embedded = setup.embedded { _ = try? await withDeadline(seconds: 3) { try await embedded.shutdown() } }
        setup.launched?.stop()
        let log = setup.launched?.logTail()
        let report = setup.redactor.scrub(
            Self.report(setup.configuration, results: results, timestamp: timestamp, started: started, serverLog: log)
        )
        let interrupted = stop.cause.map { if case .signal = $0 { true } else { false } } ?? false
        if !couldNotTest || interrupted {
            Console.write(consoleFD, console.render(report, header: !setup.headerShown))
        }
        // The connections the probes made (read once they are done or stopped, for at most a few seconds).
        let probes = setup.probes
        let records = (try? await withDeadline(seconds: 5) { await probes?.records() ?? [] }) ?? []
        let failures =
            writeReports(report, connections: JSONReporter.connections(records, redactor: setup.redactor))
            + writeHTML(report, setup, records: records) + (couldNotTest ? [] : writeBaseline(results))
        if setup.launched != nil {
            written.add(
                WrittenReport(
                    kind: "server log",
                    path: reportsDirectory.appendingPathComponent("server.log").relativePath
                )
            )
        }
        Console.write(consoleFD, console.writtenReports(written.all))
        for failure in failures { Console.error("sse-conformance: \(failure)") }
        let unfinished = results.filter { $0.status == .error && $0.message.contains(stop.reason ?? "\u{0}") }.count
        switch stop.cause {
        case .signal(let number)?:
            Console.error(
                "sse-conformance: \(stop.reason ?? "interrupted"): \(unfinished) check(s) not finished (reported as errors)"
            )
            return SignalTrap.exitCode(number)
        case _ where !failures.isEmpty:
            return 2
        case .serverExited?:
            let tail = setup.launched.map { setup.redactor.scrub(Self.lastLines($0.logTail())) } ?? ""
            Console.error(
                "sse-conformance: could not test: \(stop.reason ?? "")"
                    + (tail.isEmpty ? " (it printed nothing)" : "\n--- server output (tail) ---\n" + tail)
            )
            return 2
        case .deadline?:
            Console.error("sse-conformance: \(stop.reason ?? ""): \(unfinished) check(s) not finished")
        case nil:
            break
        }
        if couldNotTest { return 2 }
        return Self.exitCode(report)
    }

    /// 1 if anything failed; otherwise 2 if anything errored or nothing could be judged; otherwise 0.
    static func exitCode(_ report: RunReport) -> Int32 {
        if report.count(.fail) > 0 {
            Console.error("sse-conformance: not conformant: \(report.count(.fail)) check(s) failed")
            return 1
        }
        if report.count(.error) > 0 {
            Console.error("sse-conformance: \(report.count(.error)) check(s) could not be judged (errors)")
            return 2
        }
        if report.count(.pass) + report.count(.warn) == 0 {
            Console.error("sse-conformance: nothing could be judged: every selected check was skipped")
            return 2
        }
        return 0
    }

    /// Where the console goes: standard output, or standard error when a report is written there.
    var consoleFD: Int32 { options.junit == "-" || options.json == "-" || options.html == "-" ? 2 : 1 }

    /// The console's reporter: colour and width for where the console goes.
    var console: ConsoleReporter {
        ConsoleReporter(color: useColor(consoleFD), verbose: options.verbose, width: Console.width(consoleFD))
    }

    /// Colour on `fd`: `--color always|never` (`--no-color` is `never`); with `auto`, FORCE_COLOR (set, not
    /// `0`) turns it on, NO_COLOR (set, not empty) off, else a terminal has it.
    func useColor(_ fd: Int32) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        switch options.noColor ? .never : options.color {
        case .always: return true
        case .never: return false
        case .auto:
            if let force = environment["FORCE_COLOR"], !force.isEmpty, force != "0" { return true }
            if let no = environment["NO_COLOR"], !no.isEmpty { return false }
            return Console.isTerminal(fd)
        }
    }

    /// Where transcripts and the server log go: next to the JUnit file (or the JSON file when JUnit goes to
    /// standard output).
    var reportsDirectory: URL {
        let anchor =
            options.junit != "-" ? options.junit : (options.json.flatMap { $0 == "-" ? nil : $0 } ?? "reports/x")
        return URL(fileURLWithPath: anchor).deletingLastPathComponent()
    }

    func makeConfiguration() -> RunConfiguration {
        var configuration = RunConfiguration(target: options.target, scenariosBase: options.scenarios)
        configuration.profile = options.profile ?? .spec
        configuration.strict = options.strict
        // A fetch-style answer is read to its end (bounded by --listen) so its end is judged; GET streams by 5.
        configuration.events =
            options.events
            ?? (options.requestMethod != "GET" || options.data != nil || options.dataFile != nil ? Int.max : 5)
        configuration.listen = options.listen
        configuration.clients = options.clients
        configuration.checkTimeout = options.timeout
        configuration.deadline = options.deadline
        configuration.maxLine = options.maxLine
        configuration.headers = options.header.compactMap(RunOptions.parseHeader)
        configuration.redactParameters = options.redactParam
        configuration.origin = options.origin
        configuration.insecure = options.insecure
        configuration.caFile = options.cacert
        configuration.clientCertificate = options.cert
        configuration.clientKey = options.key
        configuration.http2 = options.http2
        configuration.method = options.requestMethod
        configuration.body = try? options.requestBody()  // run() read it first and exits 2 when it cannot
        if let path = options.expectedFailures, let baseline = try? RunOptions.readBaseline(path) {
            configuration.expectedFailures = Set(baseline.ids)
            configuration.expectedFailureReasons = baseline.reasons
            configuration.baselineOptions = baseline.options
        }
        configuration.runToken = "run-\(UInt32.random(in: .min ... .max))"
        return configuration
    }

    /// A status line on stderr, secrets hidden.
    func status(_ text: String, _ setup: Setup) {
        Console.error(setup.redactor.scrub(text))
    }
}

/// The built-in server's fast pacing (documented in the README): the sample route ticks every 100 ms instead of
/// 1 s, scenarios every 20 ms, so the whole run stays well under 10 s.
enum EmbeddedPacing {
    static let sampleIntervalMs = 100
    static let scenarioIntervalMs = 20
}

import Foundation
import SSEConformance
import SSEReferenceServer
import SSEReporting

/// One `sse-conformance run`: sets up the target, runs the checks, writes the reports, picks the exit code.
struct RunSession {
    var options: RunOptions

    func run() async -> Int32 {
        let clock = ContinuousClock()
        let started = clock.now
        let timestamp = Self.timestamp()
        var configuration = makeConfiguration()
        var embedded: RunningServer?
        var launched: ServerProcess?
        defer {
            if let launched { launched.stop() }
        }

        // The target: the built-in server, a command we start, or a URL.
        if options.target == nil && options.scenarios == nil {
            do {
                let server = try await ReferenceServer.start(host: "127.0.0.1", port: 0)
                embedded = server
                configuration.target = server.baseURL + "sse?interval=\(EmbeddedPacing.sampleIntervalMs)"
                configuration.scenariosBase = server.baseURL
                configuration.scenarioInterval = EmbeddedPacing.scenarioIntervalMs
                configuration.profile = options.profile ?? .nestjs
                status(
                    "testing the built-in reference server at \(server.baseURL) (profile \(configuration.profile.rawValue), fast pacing)"
                )
            } catch {
                Console.error("sse-conformance: could not start the built-in reference server: \(error)")
                return 2
            }
        } else if let command = options.serveCommand, let target = options.target {
            status("starting: \(command)")
            do {
                let process = try ServerProcess.start(command: command, logDirectory: reportsDirectory)
                launched = process
                try await process.waitUntilAnswering(url: target, timeout: options.serveTimeout)
            } catch {
                let log = launched?.logTail() ?? ""
                Console.error(
                    "sse-conformance: \(error)" + (log.isEmpty ? "" : "\n--- server output (tail) ---\n" + log)
                )
                await writeUnreachableReport(
                    configuration,
                    reason: "\(error)",
                    timestamp: timestamp,
                    started: started,
                    serverLog: log
                )
                return 2
            }
        }

        let checks = Catalogue.select(
            profile: configuration.profile,
            modes: configuration.modes,
            only: options.only,
            skip: options.skip
        )
        let probes = LiveProbes(configuration: configuration)

        // Unreachable target: a quick, clear exit 2 with every selected check reported as an error.
        if let reason = await probes.unreachableReason() {
            Console.error(
                "sse-conformance: could not test \(configuration.target ?? configuration.scenariosBase ?? ""): \(reason)"
            )
            await writeUnreachableReport(
                configuration,
                reason: reason,
                timestamp: timestamp,
                started: started,
                serverLog: launched?.logTail()
            )
            if let embedded { try? await embedded.shutdown() }
            return 2
        }

        let progress = Progress(
            total: checks.count,
            live: Console.isTerminal(2),
            verbose: options.verbose,
            color: useColor
        )
        let results = await Runner(configuration: configuration, checks: checks).run(probes: probes) { result in
            progress.finished(result)
        }
        progress.done()
        if let embedded { try? await embedded.shutdown() }

        let report = Self.report(
            configuration,
            results: results,
            timestamp: timestamp,
            started: started,
            serverLog: launched?.logTail()
        )
        Console.out(ConsoleReporter(color: useColor, verbose: options.verbose).render(report))
        writeReports(report, redacting: configuration.redactedHeaderNames)
        if let path = options.writeExpectedFailures {
            let ids = results.filter { $0.status == .fail && !$0.expectedFailure }.map(\.id)
            let text = "# sse-conformance expected failures (one check id per line)\n" + ids.map { $0 + "\n" }.joined()
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                Console.error("wrote \(ids.count) expected failure(s) to \(path)")
            } catch {
                Console.error("sse-conformance: could not write \(path): \(error)")
            }
        }
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

    var useColor: Bool {
        !options.noColor && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
            && Console.isTerminal(1)
    }

    var reportsDirectory: URL { URL(fileURLWithPath: options.junit).deletingLastPathComponent() }

    func makeConfiguration() -> RunConfiguration {
        var configuration = RunConfiguration(target: options.target, scenariosBase: options.scenarios)
        configuration.profile = options.profile ?? .spec
        configuration.strict = options.strict
        configuration.events = options.events
        configuration.listen = options.listen
        configuration.clients = options.clients
        configuration.checkTimeout = options.timeout
        configuration.deadline = options.deadline
        configuration.maxLine = options.maxLine
        configuration.headers = options.header.compactMap(RunOptions.parseHeader)
        configuration.origin = options.origin
        configuration.insecure = options.insecure
        configuration.caFile = options.cacert
        configuration.clientCertificate = options.cert
        configuration.clientKey = options.key
        configuration.http2 = options.http2
        configuration.expectedFailures = (try? options.expectedFailures.map(RunOptions.readBaseline)) ?? []
        configuration.runToken = "run-\(UInt32.random(in: .min ... .max))"
        return configuration
    }

    func status(_ text: String) {
        Console.error(text)
    }

    /// Writes JUnit, JSON and the transcripts of failing checks. A write failure is reported, never fatal.
    func writeReports(_ report: RunReport, redacting: Set<String>) {
        let junitURL = URL(fileURLWithPath: options.junit)
        let directory = junitURL.deletingLastPathComponent()
        let files = FileManager.default
        do {
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(JUnitReporter.render(report).utf8).write(to: junitURL)
        } catch {
            Console.error("sse-conformance: could not write \(options.junit): \(error)")
        }
        if let json = options.json {
            do {
                let url = URL(fileURLWithPath: json)
                try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(JSONReporter.render(report).utf8).write(to: url)
            } catch {
                Console.error("sse-conformance: could not write \(json): \(error)")
            }
        }
        let failing = report.results.filter {
            ($0.status == .fail || $0.status == .warn || $0.status == .error) && !$0.evidence.transcript.isEmpty
        }
        let transcripts = directory.appendingPathComponent("transcripts")
        // Transcripts from an earlier run would describe failures this run did not have.
        if let old = try? files.contentsOfDirectory(atPath: transcripts.path) {
            for name in old where name.hasSuffix(".txt") && name.contains("__") {
                try? files.removeItem(at: transcripts.appendingPathComponent(name))
            }
        }
        guard !failing.isEmpty else { return }
        do {
            try files.createDirectory(at: transcripts, withIntermediateDirectories: true)
            for result in failing {
                let name = result.id.replacingOccurrences(of: "/", with: "__") + ".txt"
                let text =
                    "\(result.id) \(result.status.rawValue.uppercased())\nexpected: \(result.expected)\nactual: \(result.actual)\n\n"
                    + result.evidence.transcript
                try Data(text.utf8).write(to: transcripts.appendingPathComponent(name))
            }
        } catch {
            Console.error("sse-conformance: could not write transcripts: \(error)")
        }
    }

    /// The report when the target could not be reached: every selected check is an error with the reason.
    func writeUnreachableReport(
        _ configuration: RunConfiguration,
        reason: String,
        timestamp: String,
        started: ContinuousClock.Instant,
        serverLog: String?
    ) async {
        let checks = Catalogue.select(
            profile: configuration.profile,
            modes: configuration.modes.isEmpty ? [.passive] : configuration.modes,
            only: options.only,
            skip: options.skip
        )
        let results = checks.map {
            CheckResult(
                id: $0.id,
                level: $0.level,
                summary: $0.summary,
                reference: $0.reference,
                status: .error,
                message: "target unreachable: \(reason)"
            )
        }
        writeReports(
            Self.report(configuration, results: results, timestamp: timestamp, started: started, serverLog: serverLog),
            redacting: configuration.redactedHeaderNames
        )
    }

    /// The report of a run that started at `started`.
    static func report(
        _ configuration: RunConfiguration,
        results: [CheckResult],
        timestamp: String,
        started: ContinuousClock.Instant,
        serverLog: String?
    ) -> RunReport {
        RunReport(
            target: displayURL(configuration.target ?? configuration.scenariosBase ?? ""),
            profile: configuration.profile,
            modes: Mode.allCases.filter { configuration.modes.contains($0) },
            toolVersion: ToolVersion.current,
            timestamp: timestamp,
            hostname: ProcessInfo.processInfo.hostName,
            duration: seconds(ContinuousClock.now - started),
            strict: configuration.strict,
            results: results,
            serverLog: serverLog
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// UTC, second precision, no zone suffix: the form JUnit's `timestamp` takes.
    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: Date())
    }

    /// A URL without user info (credentials never reach a report).
    static func displayURL(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return text }
        if components.user != nil || components.password != nil {
            components.user = nil
            components.password = nil
        }
        return components.string ?? text
    }
}

/// The built-in server's fast pacing (documented in the README): the sample route ticks every 100 ms instead of
/// 1 s, scenarios every 20 ms, so the whole run stays well under 10 s.
enum EmbeddedPacing {
    static let sampleIntervalMs = 100
    static let scenarioIntervalMs = 20
}

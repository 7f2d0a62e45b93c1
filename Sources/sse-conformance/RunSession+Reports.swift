import Foundation
import SSEConformance
import SSEReporting

/// The reports of a run: JUnit, JSON, the transcripts of failing checks, the baseline file.
extension RunSession {
    /// Writes JUnit, JSON (with the run's `connections`) and the transcripts of failing checks; returns what
    /// could not be written.
    func writeReports(_ report: RunReport, connections: [JSONReporter.Connection]) -> [ReportFile.Failure] {
        var failures: [ReportFile.Failure] = []
        let junit = JUnitReporter.render(
            report,
            warnings: options.junitWarnings,
            transcripts: transcriptPaths(report)
        )
        do {
            try ReportFile.write(junit, to: options.junit, option: "--junit")
            written.add(WrittenReport(kind: "JUnit", path: options.junit))
        } catch {
            failures.append(error)
        }
        if let json = options.json {
            do {
                try ReportFile.write(JSONReporter.render(report, connections: connections), to: json, option: "--json")
                written.add(WrittenReport(kind: "JSON", path: json))
            } catch {
                failures.append(error)
            }
        }
        let files = FileManager.default
        let failing = report.results.filter(Self.keepsTranscript)
        let transcripts = reportsDirectory.appendingPathComponent("transcripts")
        // Transcripts from an earlier run would describe failures this run did not have.
        if let old = try? files.contentsOfDirectory(atPath: transcripts.path) {
            for name in old where name.hasSuffix(".txt") && name.contains("__") {
                try? files.removeItem(at: transcripts.appendingPathComponent(name))
            }
        }
        var transcriptsWritten = 0
        defer {
            if transcriptsWritten > 0 {
                written.add(
                    WrittenReport(
                        kind: "transcripts",
                        path: (transcriptPath("x/y") as NSString).deletingLastPathComponent + "/",
                        detail: "\(transcriptsWritten) file(s), of the checks that failed, warned or errored"
                    )
                )
            }
        }
        for result in failing {
            let text =
                "\(result.id) \(result.status.rawValue.uppercased())\nexpected: \(result.expected)\nactual: \(result.actual)\n\n"
                + result.evidence.transcript
            do {
                try ReportFile.write(text, to: transcriptPath(result.id), option: "transcript")
                transcriptsWritten += 1
            } catch {
                failures.append(error)
                break  // one line for the directory, not one per check
            }
        }
        return failures
    }

    /// Whether a result's transcript is written: failures, warnings and errors that have one.
    static func keepsTranscript(_ result: CheckResult) -> Bool {
        (result.status == .fail || result.status == .warn || result.status == .error)
            && !result.evidence.transcript.isEmpty
    }

    /// Where a check's transcript goes: `transcripts/<group>__<name>.txt` next to the reports.
    func transcriptPath(_ id: String) -> String {
        let name = id.replacingOccurrences(of: "/", with: "__") + ".txt"
        let anchor =
            options.junit != "-" ? options.junit : (options.json.flatMap { $0 == "-" ? nil : $0 } ?? "reports/x")
        let directory = (anchor as NSString).deletingLastPathComponent
        return (directory.isEmpty ? "" : directory + "/") + "transcripts/" + name
    }

    /// The transcript written for each check that keeps one, by id.
    func transcriptPaths(_ report: RunReport) -> [String: String] {
        Dictionary(
            report.results.filter(Self.keepsTranscript).map { ($0.id, transcriptPath($0.id)) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// `--write-expected-failures`: the ids that failed, with the options that change verdicts in the header.
    func writeBaseline(_ results: [CheckResult]) -> [ReportFile.Failure] {
        guard let path = options.writeExpectedFailures else { return [] }
        let ids = results.filter { $0.status == .fail && !$0.expectedFailure }.map(\.id)
        let baseline = Baseline(
            ids: ids,
            options: BaselineOptions(strict: options.strict, profile: makeConfiguration().profile)
        )
        do {
            try ReportFile.write(baseline.render(), to: path, option: "--write-expected-failures")
            Console.error("wrote \(ids.count) expected failure(s) to \(path)")
            return []
        } catch {
            return [error]
        }
    }

    /// A note when the baseline was written under other options than this run's.
    func baselineNote(_ configuration: RunConfiguration) -> String? {
        guard let path = options.expectedFailures, let recorded = configuration.baselineOptions else { return nil }
        let current = BaselineOptions(strict: configuration.strict, profile: configuration.profile)
        return recorded.differences(from: current).map {
            "note: baseline \(path): \($0); verdicts that depend on it are reported as such, not as fixed"
        }
    }

    /// Every selected check as an error with `reason`: the results of a run that could not test the target.
    func couldNotTest(_ setup: Setup, reason: String) -> [CheckResult] {
        let configuration = setup.configuration
        let checks = Catalogue.select(
            profile: configuration.profile,
            modes: configuration.modes.isEmpty ? [.passive] : configuration.modes,
            only: options.only,
            skip: options.skip
        )
        return checks.map {
            CheckResult(
                id: $0.id,
                level: $0.level,
                summary: $0.summary,
                reference: $0.reference,
                status: .error,
                message: reason
            )
        }
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
            target: configuration.target ?? configuration.scenariosBase ?? "",
            profile: configuration.profile,
            modes: Mode.allCases.filter { configuration.modes.contains($0) },
            toolVersion: ToolVersion.current,
            timestamp: timestamp,
            hostname: ProcessInfo.processInfo.hostName,
            duration: seconds(ContinuousClock.now - started),
            strict: configuration.strict,
            results: results,
            serverLog: serverLog,
            request: configuration.fetchStyleRequest
        )
    }

    /// The last `count` lines of a log.
    static func lastLines(_ log: String, count: Int = 20) -> String {
        log.split(separator: "\n", omittingEmptySubsequences: false).suffix(count + 1).joined(separator: "\n")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// UTC, second precision, no zone suffix: the form JUnit's `timestamp` takes.
    static func utcTimestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: Date())
    }
}

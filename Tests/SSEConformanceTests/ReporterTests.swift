import Foundation
import SSETestSupport
import Testing

@testable import SSEConformance
@testable import SSEReporting

/// The reporters are pure functions of a run's results, checked against golden files in fixtures/reports/.
/// Set SSE_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change (then review the diff).
struct ReporterTests {
    static func golden(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = ReportFixtures.directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SSE_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: url)
        }
        let expected = try String(decoding: Data(contentsOf: url), as: UTF8.self)
        #expect(actual == expected, "\(name) differs from its golden copy", sourceLocation: sourceLocation)
    }

    @Test func junitMatchesGolden() throws {
        try Self.golden("junit.xml", JUnitReporter.render(ReportFixtures.report))
    }

    @Test func jsonMatchesGolden() throws {
        try Self.golden("report.json", JSONReporter.render(ReportFixtures.report))
    }

    /// A reason that skips many checks (the stream never opened) is written out once in the console tree; the
    /// checks after the first name it. JUnit keeps every reason whole.
    @Test func theConsoleWritesARepeatedSkipReasonOnce() {
        let reason = "the stream never opened (HTTP/1.1 500; see http/status-ok): there is no stream to judge"
        var report = ReportFixtures.report
        report.results =
            ["http/content-type", "framing/utf8", "delivery/heartbeat"].map { id in
                CheckResult(
                    id: id,
                    level: .must,
                    summary: "s",
                    reference: ReportFixtures.reference,
                    status: .skip,
                    message: reason
                )
            } + [
                CheckResult(
                    id: "http/cors",
                    level: .should,
                    summary: "s",
                    reference: ReportFixtures.reference,
                    status: .skip,
                    message: "opt-in: pass --origin ORIGIN"
                )
            ]
        let text = ConsoleReporter(color: false).render(report)
        #expect(text.components(separatedBy: reason).count == 2, "\(text)")
        #expect(text.components(separatedBy: "skipped for the same reason as http/content-type").count == 3)
        #expect(text.contains("opt-in: pass --origin ORIGIN"))
        #expect(JUnitReporter.render(report).components(separatedBy: "no stream to judge").count == 4)
    }

    @Test func consoleMatchesGolden() throws {
        try Self.golden("console.txt", ConsoleReporter(color: false).render(ReportFixtures.report))
        try Self.golden("console-color.txt", ConsoleReporter(color: true).render(ReportFixtures.report))
    }

    @Test func junitIsValidAgainstTheJenkinsSchemaWhateverTheTargetSent() async throws {
        let xml = JUnitReporter.render(ReportFixtures.report)
        let output = try await XMLLint.validate(xml)
        #expect(output.status == 0, "xmllint: \(output.text)")
    }

    /// The schema is a real gate: a report missing what CI readers need does not validate.
    @Test(arguments: [
        ("no hostname", #" hostname="[^"]*""#, ""),
        ("a time with four decimals", #"time="4\.205""#, #"time="4.2051""#),
        ("two outcomes in one case", #"<skipped message="#, #"<failure message="x"/><skipped message="#),
        ("a case without a name", #"<testcase name="[^"]*""#, "<testcase"),
    ])
    func junitSchemaRejectsBrokenReports(what: String, pattern: String, replacement: String) async throws {
        let xml = JUnitReporter.render(ReportFixtures.report)
        let broken = xml.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        #expect(broken != xml, "the fixture must contain what \(what) removes")
        #expect(try await XMLLint.validate(broken).status != 0, "\(what) must not validate")
    }

    @Test func junitShape() throws {
        let xml = JUnitReporter.render(ReportFixtures.report)
        #expect(xml.contains(#"<testcase name="framing/terminated-before-close" classname="framing""#))
        #expect(xml.contains(#"<failure message="#))
        #expect(xml.contains(#"<error message="timed out after 30.0 s"#))
        #expect(xml.contains(#"<skipped message="opt-in: pass --origin ORIGIN"#))
        #expect(xml.contains("<system-out>WARNING: one line-end style throughout"))
        #expect(xml.contains(#"time="1.235""#))
        #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        #expect(xml.contains("NUL \\u{0} BEL"))
        #expect(xml.contains("]]&gt;"))
    }

    /// CI annotations show the message's first line: it starts with what was wrong, the rule after.
    @Test func junitFailureMessageStartsWithTheActual() throws {
        let xml = JUnitReporter.render(ReportFixtures.report)
        #expect(xml.contains(#"<failure message="the response ended with 10 byte(s) of an unterminated event: "#))
        #expect(
            xml.contains(
                "Expected: the last event terminated by a blank line before the response ends. Rule: MUST 9.2.6 Interpreting an event stream (when the response ends, no unterminated event is pending)\" type=\"MUST\">"
            )
        )
    }

    @Test func junitLinksTranscriptsAsAttachments() async throws {
        let path = "reports/transcripts/framing__terminated-before-close.txt"
        let xml = JUnitReporter.render(ReportFixtures.report, transcripts: ["framing/terminated-before-close": path])
        #expect(xml.contains("Transcript: \(path)\n[[ATTACHMENT|\(path)]]\n</system-out>"))
        #expect(try await XMLLint.validate(xml).status == 0)
    }

    @Test(arguments: JUnitReporter.Warnings.allCases)
    func junitWarningsOption(_ warnings: JUnitReporter.Warnings) async throws {
        let xml = JUnitReporter.render(ReportFixtures.report, warnings: warnings)
        let framing = #"<testsuite name="framing" tests="2" "#
        switch warnings {
        case .pass:
            #expect(xml.contains(framing + #"failures="1" errors="0" skipped="0""#))
            #expect(!xml.contains("WARNING: lone CR"))
        case .skipped:
            #expect(xml.contains(framing + #"failures="1" errors="0" skipped="1""#))
            #expect(xml.contains(#"<skipped message="WARNING: lone CR line ends (CR 4). Expected: lines ended by LF"#))
        case .failure:
            #expect(xml.contains(#"<testsuites name="sse-conformance" tests="6" failures="2" "#))
            #expect(xml.contains(framing + #"failures="2" errors="0" skipped="0""#))
            #expect(xml.contains(#"<failure message="WARNING: lone CR line ends (CR 4). Expected: "#))
            #expect(xml.contains(#"type="warning">"#))
        }
        #expect(try await XMLLint.validate(xml).status == 0, "\(warnings)")
    }

    @Test func consoleSummaryLine() {
        let line = ConsoleReporter(color: false).summaryLine(ReportFixtures.report)
        #expect(line == "1 passed, 1 failed, 1 warned, 1 info, 1 skipped, 1 errored (4.2 s)")
    }

    @Test func noColorMeansNoEscapes() {
        #expect(!ConsoleReporter(color: false).render(ReportFixtures.report).contains("\u{1B}"))
        #expect(ConsoleReporter(color: true).render(ReportFixtures.report).contains("\u{1B}[31mFAIL"))
    }
}

/// `xmllint --schema`, which CI has (libxml2-utils). Missing: the test fails and says what to install.
enum XMLLint {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func validate(_ xml: String) async throws -> (status: Int32, text: String) {
        let path = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let path else {
            throw Missing(description: "xmllint not found: run scripts/bootstrap (apt package libxml2-utils)")
        }
        guard FileManager.default.fileExists(atPath: ReportFixtures.schema.path) else {
            throw Missing(description: "JUnit schema not found at \(ReportFixtures.schema.path)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("junit-\(UUID().uuidString).xml")
        try Data(xml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = try ChildProcess([path, "--noout", "--schema", ReportFixtures.schema.path, file.path])
        let status = try await process.finished(timeout: 60)
        return (status, process.stdout + process.stderr)
    }
}

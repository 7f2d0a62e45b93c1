import Foundation
import Testing

@testable import SSEConformance
@testable import SSEReporting

/// The console of a failing run against golden files (issue 14): as on a terminal (colour, wrapped to a fixed
/// width) and as in a CI log (no colour, no wrapping), the closing list of reports, and the live progress and
/// `--dump` lines at a fixed clock. SSE_UPDATE_GOLDEN=1 rewrites them (then review the diff).
struct ConsoleGoldenTests {
    static let reports = [
        WrittenReport(kind: "JUnit", path: "reports/junit.xml"),
        WrittenReport(kind: "JSON", path: "reports/report.json"),
        WrittenReport(kind: "transcripts", path: "reports/transcripts/", detail: "1 file(s)"),
    ]

    @Test func terminalRenderingMatchesGolden() throws {
        let console = ConsoleReporter(color: true, width: 72)
        let text = console.render(ReportFixtures.report) + console.writtenReports(Self.reports)
        try ReporterTests.golden("console-tty.txt", text)
        // Wrapped: no line wider than the terminal, escapes aside, but for a single word wider than the room
        // (a URL stays whole, so it stays clickable).
        let plain = text.replacingOccurrences(of: "\u{1B}\\[[0-9]*m", with: "", options: .regularExpression)
        for line in plain.split(separator: "\n") where line.count > 72 {
            let words = line.split(separator: " ").filter { !["│", "rule:", "MUST", "SHOULD"].contains($0) }
            #expect(words.count == 1 || line.hasSuffix(words.last ?? ""), "wider than 72: \(line)")
            #expect(words.last?.hasPrefix("https://") == true, "wider than 72 and not a URL: \(line)")
        }
    }

    @Test func logRenderingMatchesGolden() throws {
        let console = ConsoleReporter(color: false)
        try ReporterTests.golden(
            "console-log.txt",
            console.render(ReportFixtures.report) + console.writtenReports(Self.reports)
        )
    }

    @Test func wrappingKeepsEveryWordAndTheIndentation() {
        let console = ConsoleReporter(color: false, width: 40)
        let text = console.wrapped(
            "      actual:   " + String(repeating: "word ", count: 20),
            indent: "                "
        )
        let lines = text.split(separator: "\n")
        #expect(lines.count > 2)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("                ") && $0.count <= 40 })
        #expect(text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0 == "word" }.count == 20)
        // A word wider than the room is left whole on its own line, never cut or lost.
        let url = "https://example.com/" + String(repeating: "x", count: 60)
        let long = console.wrapped("see " + url + " now", indent: "  ")
        #expect(long == "see\n  " + url + "\n  now")
    }

    @Test func progressAndDumpLinesMatchGolden() throws {
        let start = ContinuousClock.now
        var primary = ProbeActivity.Probe(label: "primary", window: 6, startedAt: start)
        primary.events = 3
        primary.bytes = 412
        var client = ProbeActivity.Probe(label: "client 1 of 3", window: 6, startedAt: start + .milliseconds(1500))
        client.bytes = 17
        var text = ""
        for width in [200, 60] {
            text +=
                ProgressText.liveLine(
                    [primary, client],
                    finished: 6,
                    total: 22,
                    lastCheck: "http/content-type",
                    now: start + .milliseconds(2100),
                    width: width
                ) + "\n"
        }
        text += ProgressText.liveLine([], finished: 0, total: 0, lastCheck: "", now: start, width: 80) + "\n"
        var finished = primary
        finished.events = 5
        finished.statusLine = "HTTP/1.1 200 OK"
        finished.seconds = 0.62
        finished.end = TranscriptText.describe(.stoppedListening)
        text += ProgressText.finishedLine(finished) + "\n"
        var silent = ProbeActivity.Probe(label: "reconnection", window: 6, startedAt: start)
        silent.seconds = 6.01
        silent.end = TranscriptText.describe(.failed("no response head within 6010 ms"))
        text += ProgressText.finishedLine(silent) + "\n"
        let chunk = BodyChunk(
            offset: 40,
            time: 1.0024,
            bytes: Array("id: 2\ndata: two\n\ndata: esc \u{1B}[31m cut".utf8)
        )
        text += ProgressText.dumpLines("primary", chunk).joined(separator: "\n") + "\n"
        try ReporterTests.golden("progress.txt", text)
    }
}

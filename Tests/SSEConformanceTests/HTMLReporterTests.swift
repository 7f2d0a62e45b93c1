import Foundation
import SSEClient
import Testing

@testable import SSEConformance
@testable import SSEReporting

/// The HTML report is a pure function of a run's results and connections: a golden copy of a failing run, and
/// what it must hold whatever the target sent.
struct HTMLReporterTests {
    static var failingRun: String {
        HTMLReporter.render(
            ReportFixtures.report,
            probes: ReportFixtures.probes,
            transcripts: ["framing/terminated-before-close": "transcripts/framing__terminated-before-close.txt"]
        )
    }

    @Test func htmlOfAFailingRunMatchesGolden() throws {
        try ReporterTests.golden("report.html", Self.failingRun)
    }

    @Test func selfContainedAndScriptFree() {
        let html = Self.failingRun
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        // No script of ours, and nothing loaded from anywhere: no src, no stylesheet link, no @import or url() but
        // the in-document hatch pattern.
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains(" src=\"") && !html.contains("<link") && !html.contains("@import"))
        let urls = html.components(separatedBy: "url(").dropFirst().map { String($0.prefix(7)) }
        #expect(urls.allSatisfy { $0 == "#hatch)" }, "\(urls)")
    }

    /// What the target sent is text: a script tag in event data, markup in a header value, in the target URL,
    /// in check evidence.
    @Test func targetBytesStayText() {
        var report = ReportFixtures.report
        report.target = "http://127.0.0.1:3000/sse?q=\(ReportFixtures.injection)"
        let html = HTMLReporter.render(report, probes: ReportFixtures.probes)
        #expect(!html.contains(ReportFixtures.injection))
        #expect(!html.contains(ReportFixtures.attributeInjection))
        #expect(!html.contains("<tag a="), "check evidence escaped")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(!html.contains("\u{0}") && !html.contains("\u{1B}"), "control characters shown as \\u{..}")
        #expect(html.contains("NUL \\u{0} BEL"))
    }

    @Test func everyCheckAndOneTimelinePerConnection() {
        let html = Self.failingRun
        for result in ReportFixtures.report.results {
            #expect(html.contains("data-check=\"\(result.id)\""), "\(result.id)")
        }
        #expect(html.components(separatedBy: "<svg class=\"timeline\"").count - 1 == ReportFixtures.connectionCount)
        for index in 1...ReportFixtures.connectionCount {
            #expect(html.contains("<svg class=\"timeline\" data-connection=\"\(index)\""))
        }
        #expect(html.contains(#"<span class="badge s-fail">FAIL</span> <code>framing/terminated-before-close</code>"#))
        #expect(html.contains(#"<a href="transcripts/framing__terminated-before-close.txt">"#))
        #expect(html.contains(##"<dt>Connections</dt><dd><a href="#connection-1">#1 primary</a></dd>"##))
        #expect(html.contains("<q>If the file ends in the middle of an event"))
    }

    /// Each problem of the fixture is labelled on its connection, and the good stream carries no label at all.
    @Test func problemsAreLabelledAndAGoodStreamIsNot() throws {
        let html = Self.failingRun
        let sections = html.components(separatedBy: "<article class=\"connection\"").dropFirst()
        #expect(sections.count == 4)
        let primary = try #require(sections.first)
        #expect(
            primary.contains(
                "Silence then a burst (a buffering proxy or compressor?): 1.60 s of nothing, then 4 events at once"
            )
        )
        #expect(primary.contains("<rect class=\"band band-burst\""))
        #expect(primary.contains("Event pending 800 ms: its last line (byte "))
        #expect(primary.contains("Event pending when it ended: 10 byte(s) from byte "))
        #expect(primary.contains(">clean end</text>"))
        #expect(primary.contains("class=\"comment\""))
        #expect(primary.contains("retry: 2000"))
        #expect(primary.contains("Event types: "))
        let reconnection = Array(sections)[1]
        #expect(reconnection.contains("wait 2.00 s · retry 2,000 ms"))
        #expect(
            reconnection.contains(
                "Slow reconnection: a client waiting the retry 2,000 ms in force (set by the stream) gets the new response head 3.20 s after the drop (the head took 1.20 s)."
            )
        )
        #expect(reconnection.contains("Response head held back 1.20 s"))
        #expect(reconnection.contains(">reset</text>"))
        let client = Array(sections)[2]
        #expect(client.contains("No response: connection refused"))
        let good = Array(sections)[3]
        #expect(!good.contains("class=\"band "), "a good stream has no band")
        #expect(!good.contains("<ul class=\"findings\">"))
        #expect(good.contains(">still open when the probe stopped</text>"))
        #expect(good.components(separatedBy: "class=\"ev t0\"").count - 1 == 5, "five message events drawn")
    }

    /// The probe reconnects when a check first needs it, which may be long after the drop: that wait is shown,
    /// not taken for the server's slowness.
    @Test func aLateProbeIsNotASlowReconnection() throws {
        var primary = Wire.goodPrimary
        primary.headTime = 0.004
        var reconnection = Wire.stream([(0.01, "id: 6\ndata: again\n\n")], label: "reconnection")
        reconnection.startedAt = primary.endTime + 3.5
        reconnection.headTime = 0.005
        let html = HTMLReporter.render(
            ReportFixtures.report,
            probes: [ProbeRecord(name: "primary", exchanges: [primary, reconnection], initialRetry: 1000)]
        )
        let second = try #require(html.components(separatedBy: "<article class=\"connection\"").last)
        #expect(second.contains("wait 3.50 s · retry 1,000 ms"))
        #expect(second.contains("(the probe waited longer than the retry: it reconnects when a check first needs it)"))
        #expect(!second.contains("Slow reconnection") && !second.contains("class=\"band "))
    }

    /// When the middle of a long body was not kept, events after the gap are still drawn at their arrival (the
    /// block cut by the gap, whose start was not kept, is not).
    @Test func eventsAfterBytesNotKeptAreDrawn() throws {
        var exchange = Wire.stream([(0.1, "data: a\n\n"), (2.0, "ta: cut\n\ndata: b\n\n")], endTime: 2.1)
        exchange.chunks[1].offset = 1_000
        exchange.droppedBytes = 991
        let html = HTMLReporter.render(
            ReportFixtures.report,
            probes: [ProbeRecord(name: "primary", exchanges: [exchange])]
        )
        #expect(html.components(separatedBy: "class=\"ev t0\"").count - 1 == 2)
        #expect(html.contains("<title>+2.00 s: message data b</title>"))
        #expect(html.contains("991 bytes from the middle of the body were not kept"))
    }

    /// A stream of ever-new event types: the legend names the first 24 and counts the rest.
    @Test func manyEventTypesAreCountedNotListed() {
        let body = (0..<20_000).map { "event: type-\($0)\ndata: x\n\n" }.joined()
        let exchange = Wire.stream([(0.1, body)], endTime: 0.2)
        let html = HTMLReporter.render(
            ReportFixtures.report,
            probes: [ProbeRecord(name: "primary", exchanges: [exchange])]
        )
        #expect(html.contains("</span> type-23 (1) and 19,976 more types, drawn like the last one listed"))
        #expect(!html.contains("</span> type-24 (1)"))
    }

    /// A flood over many clients stays a few MB: lanes become time bins, tables and bodies are cut, and the
    /// report says so.
    @Test func longStreamsAreSummarisedAndTheFileStaysSmall() {
        var chunks: [(Double, String)] = []
        for index in 0..<20_000 {
            let id = index * 3
            chunks.append(
                (Double(index) * 0.0005, "id: \(id)\ndata: x\n\nid: \(id + 1)\ndata: y\n\nid: \(id + 2)\ndata: z\n\n")
            )
        }
        let flood = Wire.stream(chunks, label: "primary", end: .stoppedListening, endTime: 10)
        let clients = (1...300).map { number in
            Wire.stream(
                (0..<50).map { (Double($0) * 0.01, "data: \($0)\n\n") },
                label: "client \(number) of 300",
                end: .stoppedListening,
                endTime: 0.6
            )
        }
        let probes =
            [ProbeRecord(name: "primary", exchanges: [flood])]
            + clients.map { ProbeRecord(name: $0.label, exchanges: [$0]) }
        let html = HTMLReporter.render(ReportFixtures.report, probes: probes)
        #expect(html.utf8.count < 5_000_000, "\(html.utf8.count) bytes")
        #expect(html.components(separatedBy: "<svg class=\"timeline\"").count - 1 == 301)
        #expect(html.contains("Summarised: 20,000 chunks drawn as "))
        #expect(html.contains("Summarised: 60,000 events drawn as "))
        #expect(html.contains("events not listed"))
        #expect(html.contains("bytes not shown"))
    }

    @Test func secretsInTheConnectionsAreRedacted() {
        let secret = "tok-5f3a9c1e"
        var exchange = Wire.stream(
            [(0.01, "data: echo \(secret)\n\n"), (0.02, ": comment \(secret)\n\n")],
            requestHeaders: [HTTPHeaderField(name: "Authorization", value: "Bearer \(secret)")]
        )
        exchange.url = "http://127.0.0.1:9/sse?token=\(secret)"
        let redactor = Redactor(urls: [exchange.url], headers: [("Authorization", "Bearer \(secret)")])
        let html = HTMLReporter.render(
            ReportFixtures.report,
            probes: [ProbeRecord(name: "primary", exchanges: [exchange])],
            redactor: redactor
        )
        #expect(!html.contains(secret))
        #expect(html.contains("token=&lt;redacted&gt;"))
        #expect(html.contains("Authorization: &lt;redacted&gt;"))
    }

    @Test func bodyTextShowsLineEndsAndInvalidBytes() {
        #expect(HTMLText.body(Array("a\r\nb\rc\n".utf8)) == "a␍↵\nb␍\nc↵\n")
        #expect(HTMLText.body([0x61, 0xFF, 0xC3, 0xA9, 0x00, 0xEF, 0xBB, 0xBF]) == "a\\xFFé\\u{0}\\u{FEFF}")
        #expect(HTMLText.body([0xED, 0xA0, 0x80]) == "\\xED\\xA0\\x80", "a surrogate is invalid UTF-8")
        #expect(HTMLText.escape("<a href='x'>&") == "&lt;a href=&#39;x&#39;&gt;&amp;")
        #expect(HTMLText.duration(0.0123) == "12 ms")
        #expect(HTMLText.duration(1.6) == "1.60 s")
        #expect(HTMLText.count(1_234_567) == "1,234,567")
    }
}

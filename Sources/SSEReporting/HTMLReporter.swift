import SSEConformance

/// The HTML report: one self-contained file (inline CSS and SVG, no script, no network: a Content-Security-Policy
/// forbids every load), readable offline and as a CI artifact.
///
/// The header gives the target, profile, modes, tool version, time and counts. Each check shows its outcome (a
/// word and a colour), expected and actual, evidence and the rule quoted with its link. Each connection of every
/// probe gets one delivery timeline (see ``timeline(_:maxMarks:types:redactor:)``) with the findings a reader
/// should see at a glance labelled: silence then a burst, an event pending for its blank line, a slow
/// reconnection, a head held back.
///
/// Everything the target sent is escaped, and every string from the connections passes through the run's
/// ``Redactor``. Size is bounded: the more connections, the fewer marks each timeline draws before it bins them
/// in time, and the shorter the event tables and body excerpts, so even a flood over many clients stays a few MB.
public enum HTMLReporter {
    /// The report. `probes`: the connections the run made; `transcripts`: links to the transcript files written
    /// for checks, by id (relative to the HTML file); `redactor`: hides the run's secrets in what the connections
    /// carry (the report itself is already scrubbed).
    public static func render(
        _ report: RunReport,
        probes: [ProbeRecord] = [],
        transcripts: [String: String] = [:],
        redactor: Redactor = Redactor()
    ) -> String {
        let connections = probes.reduce(0) { $0 + $1.exchanges.count }
        // Each connection's number by its label, to link a check to the timelines it judged.
        let labels = probes.flatMap(\.exchanges).map(\.label)
        let anchors = Dictionary(zip(labels, 1...max(1, labels.count)), uniquingKeysWith: { first, _ in first })
        let budget = Budget(connections: connections)
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html +=
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>sse-conformance: \(HTMLText.escape(report.target))</title>\n"
        html += "<style>\n\(style)</style>\n</head>\n<body>\n"
        // Shared by every timeline: the hatching of a reconnection's wait.
        html +=
            "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs><pattern id=\"hatch\" width=\"6\" height=\"6\""
        html +=
            " patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#eee\"/>"
        html +=
            "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#999\" stroke-width=\"2\"/></pattern></defs></svg>\n"
        html += header(report, connections: connections)
        html += "<main>\n<h2 id=\"checks\">Checks</h2>\n"
        for group in report.groups {
            html += "<section class=\"group\" id=\"group-\(HTMLText.escape(group.name))\">\n"
            html += "<h3>\(HTMLText.escape(group.name)) <span class=\"counts\">\(counts(group.results))</span></h3>\n"
            for result in group.results {
                html += check(result, transcript: transcripts[result.id], connections: anchors)
            }
            html += "</section>\n"
        }
        html += "<h2 id=\"connections\">Connections</h2>\n"
        html += legend(budget)
        if connections == 0 {
            html +=
                "<p class=\"empty\">No connection was recorded (the run made none, or could not test the target).</p>\n"
        }
        var probe: String?
        eachConnection(probes, redactor: redactor) { connection in
            if connection.probe != probe {
                if probe != nil { html += "</section>\n" }
                probe = connection.probe
                html += "<section class=\"probe\"><h3>Probe: \(HTMLText.escape(connection.probe))</h3>\n"
            }
            html += section(connection, budget: budget, redactor: redactor)
        }
        if probe != nil { html += "</section>\n" }
        if let log = report.serverLog, !log.isEmpty {
            html +=
                "<h2 id=\"server-log\">Server output (tail)</h2>\n<pre class=\"log\">\(HTMLText.preformatted(log))</pre>\n"
        }
        html += "</main>\n<footer>Written by sse-conformance \(HTMLText.escape(report.toolVersion)). "
        html +=
            "Rules quoted from the <a href=\"https://html.spec.whatwg.org/multipage/server-sent-events.html\">WHATWG HTML standard, server-sent events</a>.</footer>\n"
        html += "</body>\n</html>\n"
        return html
    }

    /// How much each connection may draw and list, so the file stays a few MB however many connections there are.
    struct Budget {
        /// Marks per lane of a timeline before the lane is binned in time.
        var marks: Int
        /// Events listed in a connection's table (the first three quarters, the last quarter).
        var events: Int
        /// Bytes of body shown per connection (the start and the end, cut at line ends).
        var bodyBytes: Int

        init(connections: Int) {
            let count = max(1, connections)
            marks = min(600, max(40, 24_000 / count))
            events = min(200, max(12, 6_000 / count))
            bodyBytes = min(16_384, max(1_024, 600_000 / count))
        }
    }

    static func header(_ report: RunReport, connections: Int) -> String {
        var html = "<header>\n<h1>sse-conformance report</h1>\n<dl class=\"meta\">\n"
        let rows = [
            ("Target", report.target),
            ("Profile", report.profile.rawValue),
            ("Mode", report.modes.map(\.rawValue).joined(separator: ", ")),
            ("Strict", report.strict ? "yes (SHOULD failures fail)" : "no"),
            ("Tool", "sse-conformance \(report.toolVersion)"),
            ("Time", "\(report.timestamp) UTC, \(HTMLText.duration(report.duration)) on \(report.hostname)"),
            ("Connections", "\(connections)"),
        ]
        for (name, value) in rows {
            html += "<dt>\(name)</dt><dd>\(HTMLText.escape(value))</dd>\n"
        }
        html += "</dl>\n<p class=\"summary\">\(counts(report.results))</p>\n<nav><a href=\"#checks\">Checks</a>: "
        html += report.groups.map { group in
            "<a href=\"#group-\(HTMLText.escape(group.name))\">\(HTMLText.escape(group.name))</a>"
        }.joined(separator: " · ")
        html += " — <a href=\"#connections\">Connections</a></nav>\n</header>\n"
        return html
    }

    /// `3 passed · 1 failed · ...`, each with its word and colour, zero counts left out (but passed and failed).
    static func counts(_ results: [CheckResult]) -> String {
        OutcomeStatus.ordered.compactMap { status in
            let count = results.filter { $0.status == status }.count
            guard count > 0 || status == .pass || status == .fail else { return nil }
            let style = count == 0 ? "zero" : "s-\(status.rawValue)"
            return "<span class=\"count \(style)\">\(count) \(status.countWord)</span>"
        }.joined(separator: " ")
    }

    static func check(_ result: CheckResult, transcript: String?, connections: [String: Int] = [:]) -> String {
        let id = HTMLText.escape(result.id)
        let status = result.status.rawValue
        // Failures, warnings and errors open; passes, skips and observations one line each until unfolded.
        let open = [.fail, .warn, .error].contains(result.status) ? " open" : ""
        var html = "<details class=\"check s-\(status)\" id=\"check-\(id)\" data-check=\"\(id)\"\(open)>\n"
        html += "<summary><span class=\"badge s-\(status)\">\(status.uppercased())</span> <code>\(id)</code>"
        html +=
            " <span class=\"level\">\(result.level.rawValue)</span> <span class=\"what\">\(HTMLText.escape(result.summary))</span></summary>\n"
        html += "<dl>\n"
        if !result.expected.isEmpty { html += row("Expected", result.expected) }
        if !result.actual.isEmpty { html += row("Actual", result.actual) }
        if !result.message.isEmpty {
            let name =
                switch result.status {
                case .skip: "Skipped"
                case .error: "Harness"
                default: "Note"
                }
            html += row(name, result.message)
        }
        if !result.evidence.summary.isEmpty { html += row("Evidence", result.evidence.summary) }
        if !result.evidence.excerpt.isEmpty {
            html += "<dt>Excerpt</dt><dd><pre>\(HTMLText.preformatted(result.evidence.excerpt))</pre></dd>\n"
        }
        let reference = result.reference
        html += "<dt>Rule</dt><dd>\(result.level.rawValue) <a href=\"\(HTMLText.escape(reference.url))\">"
        html += "\(HTMLText.escape(reference.section))</a>: <q>\(HTMLText.escape(reference.sentence))</q></dd>\n"
        let judged = judgedConnections(result.evidence.transcript, connections)
        if !judged.isEmpty {
            html += "<dt>Connections</dt><dd>"
            html += judged.map { "<a href=\"#connection-\($0.index)\">#\($0.index) \(HTMLText.escape($0.label))</a>" }
                .joined(separator: ", ")
            html += "</dd>\n"
        }
        if let transcript {
            html +=
                "<dt>Transcript</dt><dd><a href=\"\(HTMLText.escape(transcript))\">\(HTMLText.escape(transcript))</a></dd>\n"
        }
        if result.expectedFailure { html += row("Baseline", "listed in the expected-failures baseline") }
        html += "<dt>Time</dt><dd>\(HTMLText.duration(result.duration))</dd>\n"
        html += "</dl>\n</details>\n"
        return html
    }

    /// The connections a check's transcript covers (its `== label: GET ...` lines) that have a timeline.
    static func judgedConnections(_ transcript: String, _ connections: [String: Int]) -> [(index: Int, label: String)] {
        guard !connections.isEmpty else { return [] }
        var found: [(index: Int, label: String)] = []
        var seen: Set<Int> = []
        for line in transcript.split(separator: "\n") where line.hasPrefix("== ") {
            let rest = line.dropFirst(3)
            let label = rest.range(of: ": GET ").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
            if let index = connections[label], seen.insert(index).inserted { found.append((index, label)) }
        }
        return found.sorted { $0.index < $1.index }
    }

    static func row(_ name: String, _ value: String) -> String {
        "<dt>\(name)</dt><dd>\(HTMLText.escape(value))</dd>\n"
    }

    /// What the marks of a timeline mean.
    static func legend(_ budget: Budget) -> String {
        """
        <details class="legend-box" open><summary>How to read a timeline</summary>
        <p>Time runs left to right from the request (0); before a reconnection, the hatched wait since the previous
        connection ended, with the <code>retry</code> in force. <b>head</b>: the wait for the response head, then its
        status. <b>bytes</b>: one box per body chunk as it arrived, wider when larger. <b>events</b>: one mark per
        dispatched event at the arrival of its blank line, shape and colour by event type (named under each
        drawing). <b>comments</b>: ● a comment line, ↻ a <code>retry</code> field. The last line says how the
        connection ended: clean end, reset, cut, aborted, or still open when the probe stopped.
        Shaded bands label what deserves a look: <span class="key band-burst">buffered?</span> silence then many
        events at once, <span class="key band-pending">event pending</span> an event waiting for its blank line,
        <span class="key band-slow-reconnection">slow reconnection</span>, <span class="key band-head-held">head
        held</span>. Hover any mark for its details. A lane with more than \(budget.marks) marks is drawn as time
        bins (this report's limit, from its number of connections), and says so.</p>
        </details>

        """
    }
}

extension OutcomeStatus {
    /// Report order: failures first.
    static let ordered: [OutcomeStatus] = [.fail, .error, .warn, .pass, .info, .skip]

    /// `passed`, `failed`...
    var countWord: String {
        switch self {
        case .pass: "passed"
        case .fail: "failed"
        case .warn: "warned"
        case .skip: "skipped"
        case .error: "errored"
        case .info: "info"
        }
    }
}

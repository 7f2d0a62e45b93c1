import SSEConformance
import ServerSentEvents

/// One connection's part of the HTML report: a title, its timeline, the findings in words, then the request and
/// response heads, the events and the body in folded sections.
extension HTMLReporter {
    static func section(_ connection: Connection, budget: Budget, redactor: Redactor) -> String {
        let exchange = connection.exchange
        let label = HTMLText.escape(exchange.label)
        var html = "<article class=\"connection\" id=\"connection-\(connection.index)\" data-label=\"\(label)\">\n"
        html += "<h4>#\(connection.index) \(label)"
        if connection.number > 0 { html += " <span class=\"tag\">reconnection \(connection.number)</span>" }
        html += " <span class=\"when\">started +\(HTMLText.duration(exchange.startedAt)) into the run</span></h4>\n"
        let url = redactor.scrub(redactor.url(exchange.url))
        let ending = endWords(exchange.end)
        html += "<p class=\"line\"><code>GET \(HTMLText.escape(url))</code> → "
        html +=
            exchange.status == nil
            ? "no response" : "<code>\(HTMLText.escape(redactor.scrub(exchange.statusLine)))</code>"
        html += "; \(ending.words) after \(HTMLText.duration(exchange.endTime))</p>\n"

        let types = eventTypes(connection.stream)
        let drawing = timeline(connection, maxMarks: budget.marks, types: types, redactor: redactor)
        html += "<figure class=\"figure\">\n\(drawing.svg)\n"
        if !types.order.isEmpty {
            html += "<figcaption class=\"types\">Event types: "
            html += types.order.prefix(legendTypes).enumerated().map { index, type in
                let glyph = ["■", "●", "◆", "▲", "□", "○", "◇", "△"][index % palette]
                return
                    "<span class=\"type t\(index % palette)\">\(glyph)</span> \(HTMLText.escape(preview(redactor.scrub(type), 60))) (\(HTMLText.count(types.counts[type] ?? 0)))"
            }.joined(separator: ", ")
            if types.order.count > legendTypes {
                html +=
                    " and \(HTMLText.count(types.order.count - legendTypes)) more types, drawn like the last one listed"
            }
            if types.order.count > palette { html += " (shapes and colours repeat after \(palette) types)" }
            html += "</figcaption>\n"
        }
        html += "</figure>\n"
        for note in drawing.notes { html += "<p class=\"summarised\">Summarised: \(HTMLText.escape(note))</p>\n" }
        html += "<p class=\"facts\">\(HTMLText.escape(facts(connection)))</p>\n"
        if !connection.findings.isEmpty {
            html += "<ul class=\"findings\">\n"
            for finding in connection.findings {
                html += "<li class=\"finding f-\(finding.kind.rawValue)\">\(HTMLText.escape(finding.text))</li>\n"
            }
            html += "</ul>\n"
        }
        html += heads(exchange, redactor: redactor)
        if let stream = connection.stream, !stream.events.isEmpty {
            html += eventTable(stream, rows: budget.events, redactor: redactor)
        }
        html += body(exchange, limit: budget.bodyBytes, redactor: redactor)
        html += "</article>\n"
        return html
    }

    /// Event types in order of first dispatch (`message` included when seen), with their mark's index (types
    /// beyond the legend share the last ones) and how many of each were dispatched.
    struct EventTypes {
        var order: [String] = []
        var index: [String: Int] = [:]
        var counts: [String: Int] = [:]
    }

    /// Types named in a connection's legend; a stream of ever-new types is counted, not listed.
    static let legendTypes = 24

    static func eventTypes(_ stream: StreamAnalysis?) -> EventTypes {
        var types = EventTypes()
        for event in stream?.events ?? [] {
            if types.index[event.type] == nil {
                types.index[event.type] = min(types.order.count, legendTypes - 1)
                types.order.append(event.type)
            }
            types.counts[event.type, default: 0] += 1
        }
        return types
    }

    /// `12 chunks, 1,204 bytes, 5 events, 2 comments; retry 1000 ms in force (initial)`.
    static func facts(_ connection: Connection) -> String {
        let exchange = connection.exchange
        var parts = [
            "\(HTMLText.count(exchange.chunks.count)) chunk(s)",
            "\(HTMLText.count(exchange.chunks.last.map { $0.offset + $0.bytes.count } ?? 0)) body bytes",
        ]
        if let stream = connection.stream {
            parts.append("\(HTMLText.count(stream.events.count)) event(s) dispatched")
            let comments = stream.count(.comment)
            parts.append("\(HTMLText.count(comments)) comment(s)")
            if let retry = stream.reconnectionTime { parts.append("the stream sets retry \(HTMLText.count(retry)) ms") }
        }
        if let head = exchange.headTime { parts.append("head at +\(HTMLText.duration(head))") }
        var text = parts.joined(separator: ", ")
        if let wait = connection.waitBefore {
            text += "; reconnected after waiting \(HTMLText.duration(wait)), \(retryText(connection))"
            if wait > Double(connection.retryInForce ?? 0) / 1000 + 0.5 {
                text += " (the probe waited longer than the retry: it reconnects when a check first needs it)"
            }
        }
        return text + "; ended: " + TranscriptText.describe(exchange.end) + "."
    }

    static func heads(_ exchange: Exchange, redactor: Redactor) -> String {
        var text = "> GET \(redactor.scrub(redactor.url(exchange.url)))\n"
        for field in exchange.requestHeaders {
            text += "> \(field.name): \(redactor.header(name: field.name, value: field.value))\n"
        }
        if exchange.status != nil {
            text += "< \(exchange.statusLine)\n"
            for field in exchange.responseHeaders {
                text += "< \(field.name): \(redactor.header(name: field.name, value: field.value))\n"
            }
        }
        if exchange.redirects > 0 { text += "(after \(exchange.redirects) redirect(s))\n" }
        return
            "<details><summary>Request and response heads</summary><pre>\(HTMLText.preformatted(redactor.scrub(text)))</pre></details>\n"
    }

    static func eventTable(_ stream: StreamAnalysis, rows: Int, redactor: Redactor) -> String {
        let exchange = stream.exchange
        let dispatched = stream.blocks.filter { $0.event != nil }
        var html = "<details><summary>Events (\(HTMLText.count(dispatched.count)))</summary>\n"
        html +=
            "<table class=\"events\"><thead><tr><th>#</th><th>dispatched at</th><th>byte</th><th>type</th><th>id</th><th>data</th></tr></thead><tbody>\n"
        let head = dispatched.count > rows ? rows * 3 / 4 : dispatched.count
        let tail = dispatched.count > rows ? rows - head : 0
        func line(_ number: Int, _ block: StreamAnalysis.Block) -> String {
            guard let event = block.event else { return "" }
            let time =
                block.blankLine.flatMap { exchange.arrival(ofByte: $0) }.map { "+" + HTMLText.duration($0) } ?? "?"
            let data = preview(redactor.scrub(event.data), 300)
            return
                "<tr><td>\(number)</td><td>\(time)</td><td>\(block.start)</td><td>\(HTMLText.escape(redactor.scrub(event.type)))</td>"
                + "<td>\(HTMLText.escape(redactor.scrub(event.lastEventId)))</td><td><code>\(HTMLText.escape(data))</code></td></tr>\n"
        }
        for (index, block) in dispatched.prefix(head).enumerated() { html += line(index + 1, block) }
        if tail > 0 {
            let skipped = dispatched.count - head - tail
            html += "<tr class=\"gap\"><td colspan=\"6\">… \(HTMLText.count(skipped)) events not listed …</td></tr>\n"
            for (index, block) in dispatched.suffix(tail).enumerated() {
                html += line(dispatched.count - tail + index + 1, block)
            }
        }
        return html + "</tbody></table></details>\n"
    }

    /// The body as it arrived, line ends shown; beyond `limit` bytes the start and the end, cut at line ends.
    static func body(_ exchange: Exchange, limit: Int, redactor: Redactor) -> String {
        let body = exchange.body
        guard !body.isEmpty else { return "" }
        var text: String
        var note = ""
        if body.count <= limit {
            text = HTMLText.body(body)
        } else {
            // Cut at a line end within 512 bytes (a secret is not cut in two), else where the limit falls.
            var headEnd = limit * 3 / 4
            let headCap = min(body.count, headEnd + 512)
            while headEnd < headCap, body[headEnd - 1] != 0x0A { headEnd += 1 }
            if body[headEnd - 1] != 0x0A { headEnd = limit * 3 / 4 }
            var tailStart = max(headEnd, body.count - limit / 4)
            let tailCap = min(body.count, tailStart + 512)
            while tailStart < tailCap, body[tailStart - 1] != 0x0A { tailStart += 1 }
            if tailStart < body.count, body[tailStart - 1] != 0x0A { tailStart = max(headEnd, body.count - limit / 4) }
            text = HTMLText.body(body[..<headEnd])
            if tailStart < body.count {
                text +=
                    "\n… \(HTMLText.count(tailStart - headEnd)) bytes not shown …\n\n"
                    + HTMLText.body(body[tailStart...])
            }
            note = ", summarised"
        }
        if exchange.droppedBytes > 0 { note += ", \(HTMLText.count(exchange.droppedBytes)) bytes not kept" }
        text = redactor.scrub(text)
        return
            "<details><summary>Body (\(HTMLText.count(body.count)) bytes kept\(note))</summary><pre class=\"body\">\(HTMLText.preformatted(text))</pre></details>\n"
    }
}

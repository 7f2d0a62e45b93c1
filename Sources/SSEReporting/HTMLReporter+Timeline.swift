import SSEConformance
import ServerSentEvents

/// The delivery timeline of one connection, drawn in SVG: time from the connect (the wait before a reconnection to
/// the left of 0), the response head, each body chunk (placed by arrival, wider when larger), each dispatched
/// event (shape and colour by type), comments and `retry` fields, bands over what deserves attention, and how the
/// connection ended.
extension HTMLReporter {
    /// Geometry of the drawing (viewBox units).
    enum Geometry {
        static let width = 1000.0
        static let left = 74.0
        static let right = 988.0
        static let height = 146.0
        static let bandTop = 16.0
        static let bandBottom = 120.0
        static let headY = 20.0
        static let chunkY = 42.0
        static let eventY = 72.0
        static let otherY = 100.0
        static let axisY = 122.0
    }

    /// Marks drawn per lane before a lane is summarised into time bins.
    struct Drawing {
        var svg: String
        /// What was summarised, for the note under the drawing.
        var notes: [String]
    }

    static func timeline(_ connection: Connection, maxMarks: Int, types: EventTypes, redactor: Redactor) -> Drawing {
        let exchange = connection.exchange
        let t0 = connection.start
        let t1 = connection.end
        let scale = (Geometry.right - Geometry.left) / (t1 - t0)
        func x(_ t: Double) -> Double { Geometry.left + (min(max(t, t0), t1) - t0) * scale }
        func c(_ value: Double) -> String { HTMLText.coordinate(value) }
        var notes: [String] = []
        let ending = endWords(exchange.end)
        let endKind = ending.kind
        var svg =
            "<svg class=\"timeline\" data-connection=\"\(connection.index)\" viewBox=\"0 0 \(c(Geometry.width)) \(c(Geometry.height))\""
        svg += " role=\"img\" aria-label=\"delivery timeline of connection \(connection.index)\">\n"
        svg +=
            "<title>Connection \(connection.index): \(HTMLText.escape(exchange.label)), \(ending.words) after \(HTMLText.duration(exchange.endTime))</title>\n"
        for (label, y) in [("head", Geometry.headY), ("bytes", Geometry.chunkY), ("events", Geometry.eventY)] {
            svg += "<text class=\"lane\" x=\"4\" y=\"\(c(y + 13))\">\(label)</text>\n"
        }
        svg += "<text class=\"lane\" x=\"4\" y=\"\(c(Geometry.otherY + 11))\">comments</text>\n"

        // Bands behind everything, labelled along the top.
        var labelled: [Double] = []
        for finding in connection.findings where !finding.label.isEmpty {
            let from = x(finding.from)
            let width = max(2, x(finding.to) - from)
            svg += "<rect class=\"band band-\(finding.kind.rawValue)\" x=\"\(c(from))\" y=\"\(c(Geometry.bandTop))\""
            svg += " width=\"\(c(width))\" height=\"\(c(Geometry.bandBottom - Geometry.bandTop))\">"
            svg += "<title>\(HTMLText.escape(finding.text))</title></rect>\n"
            // One label per 70 units, so labels never overlap.
            if labelled.allSatisfy({ abs($0 - from) >= 70 }) {
                labelled.append(from)
                let anchor = from > Geometry.right - 70 ? "end" : "start"
                let at = anchor == "end" ? min(Geometry.right, from + width) : from + 1
                svg +=
                    "<text class=\"band-label band-label-\(finding.kind.rawValue)\" x=\"\(c(at))\" y=\"12\" text-anchor=\"\(anchor)\">\(finding.label)</text>\n"
            }
        }

        // The wait before a reconnection, the connect, the wait for the head, the head.
        if let wait = connection.waitBefore {
            svg +=
                "<rect class=\"wait\" x=\"\(c(x(t0)))\" y=\"\(c(Geometry.headY))\" width=\"\(c(max(1, x(0) - x(t0))))\" height=\"16\">"
            svg +=
                "<title>waited \(HTMLText.duration(wait)) after the previous connection ended; \(retryText(connection))</title></rect>\n"
            let retry = connection.retryInForce.map { "retry \(HTMLText.count($0)) ms" } ?? "no retry"
            svg +=
                "<text class=\"note\" x=\"\(c(x(t0) + 3))\" y=\"\(c(Geometry.headY + 12))\">wait \(HTMLText.duration(wait)) · \(retry)</text>\n"
        }
        svg +=
            "<line class=\"connect\" x1=\"\(c(x(0)))\" x2=\"\(c(x(0)))\" y1=\"\(c(Geometry.bandTop))\" y2=\"\(c(Geometry.axisY))\"><title>request sent (connect)</title></line>\n"
        if let head = exchange.headTime {
            svg +=
                "<rect class=\"head-wait\" x=\"\(c(x(0)))\" y=\"\(c(Geometry.headY + 6))\" width=\"\(c(max(0, x(head) - x(0))))\" height=\"4\"/>\n"
            svg +=
                "<line class=\"head\" x1=\"\(c(x(head)))\" x2=\"\(c(x(head)))\" y1=\"\(c(Geometry.headY))\" y2=\"\(c(Geometry.headY + 16))\">"
            svg +=
                "<title>response head at +\(HTMLText.duration(head)): \(HTMLText.escape(redactor.scrub(exchange.statusLine)))</title></line>\n"
            let status = exchange.status.map(String.init) ?? ""
            let type = exchange.mediaType.map { " " + $0 } ?? ""
            svg +=
                "<text class=\"note\" x=\"\(c(min(x(head) + 3, Geometry.right - 120)))\" y=\"\(c(Geometry.headY + 12))\">\(HTMLText.escape(redactor.scrub(status + type)))</text>\n"
        }

        svg += chunks(exchange, maxMarks: maxMarks, x: x, notes: &notes)
        if let stream = connection.stream {
            svg += events(stream, maxMarks: maxMarks, types: types, redactor: redactor, x: x, notes: &notes)
            svg += others(stream, maxMarks: maxMarks, redactor: redactor, x: x, notes: &notes)
        }

        // The end.
        let end = x(exchange.endTime)
        svg +=
            "<line class=\"end end-\(endKind)\" x1=\"\(c(end))\" x2=\"\(c(end))\" y1=\"\(c(Geometry.bandTop))\" y2=\"\(c(Geometry.axisY))\">"
        svg +=
            "<title>\(HTMLText.escape(TranscriptText.describe(exchange.end))) at +\(HTMLText.duration(exchange.endTime))</title></line>\n"
        let endAnchor = end > Geometry.left + 200 ? "end" : "start"
        svg +=
            "<text class=\"end-label end-\(endKind)\" x=\"\(c(endAnchor == "end" ? end - 3 : end + 3))\" y=\"\(c(Geometry.otherY + 11))\" text-anchor=\"\(endAnchor)\">\(ending.words)</text>\n"
        svg += axis(from: t0, to: t1, x: x)
        svg += "</svg>"
        return Drawing(svg: svg, notes: notes)
    }

    /// Chunk width grows with the logarithm of its size: 1 byte is 2 units, 64 KiB about 50.
    static func chunkWidth(_ bytes: Int) -> Double {
        min(50, 2 + 3 * (Double(bytes) + 1).squareRoot().squareRoot())
    }

    static func chunks(_ exchange: Exchange, maxMarks: Int, x: (Double) -> Double, notes: inout [String]) -> String {
        func c(_ value: Double) -> String { HTMLText.coordinate(value) }
        var svg = ""
        if exchange.chunks.count <= maxMarks {
            for chunk in exchange.chunks {
                svg +=
                    "<rect class=\"chunk\" x=\"\(c(x(chunk.time)))\" y=\"\(c(Geometry.chunkY))\" width=\"\(c(chunkWidth(chunk.bytes.count)))\" height=\"24\">"
                svg +=
                    "<title>+\(HTMLText.duration(chunk.time)): \(HTMLText.count(chunk.bytes.count)) bytes at byte \(chunk.offset)</title></rect>\n"
            }
            return svg
        }
        let bins = binned(exchange.chunks.map { ($0.time, $0.bytes.count) }, count: maxMarks, x: x)
        for bin in bins {
            svg +=
                "<rect class=\"chunk binned\" x=\"\(c(bin.x))\" y=\"\(c(Geometry.chunkY))\" width=\"\(c(max(bin.width, chunkWidth(bin.weight / bin.items))))\" height=\"24\">"
            svg +=
                "<title>+\(HTMLText.duration(bin.from))..+\(HTMLText.duration(bin.to)): \(HTMLText.count(bin.items)) chunks, \(HTMLText.count(bin.weight)) bytes</title></rect>\n"
        }
        notes.append(
            "\(HTMLText.count(exchange.chunks.count)) chunks drawn as \(bins.count) time bins (over \(maxMarks) marks): hover a bin for its count and bytes."
        )
        return svg
    }

    static func events(
        _ stream: StreamAnalysis,
        maxMarks: Int,
        types: EventTypes,
        redactor: Redactor,
        x: (Double) -> Double,
        notes: inout [String]
    ) -> String {
        func c(_ value: Double) -> String { HTMLText.coordinate(value) }
        let exchange = stream.exchange
        let dispatched: [(time: Double, event: ServerSentEvent)] = stream.blocks.compactMap { block in
            guard let event = block.event, let blank = block.blankLine, let time = exchange.arrival(ofByte: blank)
            else { return nil }
            return (time, event)
        }
        var svg = ""
        if dispatched.count <= maxMarks {
            // Events released together would hide behind one another: a group within 6 units says how many.
            var group: (x: Double, count: Int)?
            func closeGroup() {
                if let group, group.count > 1 {
                    svg +=
                        "<text class=\"stack\" x=\"\(c(group.x + 7))\" y=\"\(c(Geometry.eventY + 15))\">×\(group.count)</text>\n"
                }
            }
            for (time, _) in dispatched {
                if let current = group, x(time) - current.x < 6 {
                    group = (current.x, current.count + 1)
                } else {
                    closeGroup()
                    group = (x(time), 1)
                }
            }
            closeGroup()
            for (time, event) in dispatched {
                let index = types.index[event.type] ?? 0
                let title =
                    "+\(HTMLText.duration(time)): \(event.type)"
                    + (event.lastEventId.isEmpty ? "" : " id \(event.lastEventId)")
                    + " data " + preview(event.data, 120)
                let scrubbed = redactor.scrub(title)
                svg += shape(index % palette, x: x(time), y: Geometry.eventY + 11, title: scrubbed)
            }
            return svg
        }
        let bins = binned(dispatched.map { ($0.time, 1) }, count: maxMarks, x: x)
        let peak = bins.map(\.items).max() ?? 1
        for bin in bins {
            let height = 4 + 18 * (Double(bin.items).squareRoot() / Double(peak).squareRoot())
            svg +=
                "<rect class=\"ev-bin\" x=\"\(c(bin.x))\" y=\"\(c(Geometry.eventY + 22 - height))\" width=\"\(c(max(1.5, bin.width)))\" height=\"\(c(height))\">"
            svg +=
                "<title>+\(HTMLText.duration(bin.from))..+\(HTMLText.duration(bin.to)): \(HTMLText.count(bin.items)) events</title></rect>\n"
        }
        notes.append(
            "\(HTMLText.count(dispatched.count)) events drawn as \(bins.count) time bins, bar height by count (over \(maxMarks) marks); the table lists the first and last ones."
        )
        return svg
    }

    /// Comments (circles) and `retry` fields (a ↻ with its value).
    static func others(
        _ stream: StreamAnalysis,
        maxMarks: Int,
        redactor: Redactor,
        x: (Double) -> Double,
        notes: inout [String]
    ) -> String {
        func c(_ value: Double) -> String { HTMLText.coordinate(value) }
        let exchange = stream.exchange
        var comments: [(Double, String)] = []
        var retries: [(Double, Int)] = []
        let log = stream.observations
        for position in log.indices where log.tag(at: position) == .comment || log.tag(at: position) == .retry {
            let observation = log[position]
            switch observation.kind {
            case .comment(let text):
                if let time = exchange.arrival(ofByte: observation.offset) { comments.append((time, text)) }
            case .retry(let value):
                if let time = exchange.arrival(ofByte: observation.offset) { retries.append((time, value)) }
            default:
                continue
            }
        }
        var svg = ""
        if comments.count <= maxMarks {
            for (time, text) in comments {
                svg += "<circle class=\"comment\" cx=\"\(c(x(time)))\" cy=\"\(c(Geometry.otherY + 7))\" r=\"3.5\">"
                svg +=
                    "<title>+\(HTMLText.duration(time)): comment :\(HTMLText.escape(preview(redactor.scrub(text), 80)))</title></circle>\n"
            }
        } else {
            let bins = binned(comments.map { ($0.0, 1) }, count: maxMarks, x: x)
            for bin in bins {
                svg +=
                    "<rect class=\"comment\" x=\"\(c(bin.x))\" y=\"\(c(Geometry.otherY + 3))\" width=\"\(c(max(1.5, bin.width)))\" height=\"8\">"
                svg +=
                    "<title>+\(HTMLText.duration(bin.from))..+\(HTMLText.duration(bin.to)): \(HTMLText.count(bin.items)) comments</title></rect>\n"
            }
            notes.append("\(HTMLText.count(comments.count)) comments drawn as \(bins.count) time bins.")
        }
        for (time, value) in retries.prefix(maxMarks) {
            svg +=
                "<text class=\"retry\" x=\"\(c(x(time)))\" y=\"\(c(Geometry.otherY + 11))\">↻<title>+\(HTMLText.duration(time)): retry: \(value) (reconnection time \(HTMLText.count(value)) ms)</title></text>\n"
        }
        if retries.count > maxMarks { notes.append("\(retries.count - maxMarks) more retry fields not drawn.") }
        return svg
    }

    /// Number of shape/colour pairs for event types: types beyond it reuse them (the legend names each).
    static let palette = 8

    /// The mark of event type `index`: square, circle, diamond, triangle, then the same shapes hollow.
    static func shape(_ index: Int, x: Double, y: Double, title: String) -> String {
        func c(_ value: Double) -> String { HTMLText.coordinate(value) }
        let cls = "ev t\(index)"
        let inner = "<title>\(HTMLText.escape(title))</title>"
        switch index % 4 {
        case 0:
            return
                "<rect class=\"\(cls)\" x=\"\(c(x - 4))\" y=\"\(c(y - 4))\" width=\"8\" height=\"8\">\(inner)</rect>\n"
        case 1:
            return "<circle class=\"\(cls)\" cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"4.5\">\(inner)</circle>\n"
        case 2:
            return
                "<polygon class=\"\(cls)\" points=\"\(c(x)),\(c(y - 5.5)) \(c(x + 5.5)),\(c(y)) \(c(x)),\(c(y + 5.5)) \(c(x - 5.5)),\(c(y))\">\(inner)</polygon>\n"
        default:
            return
                "<polygon class=\"\(cls)\" points=\"\(c(x)),\(c(y - 5)) \(c(x + 5)),\(c(y + 4)) \(c(x - 5)),\(c(y + 4))\">\(inner)</polygon>\n"
        }
    }

    struct Bin {
        var x: Double
        var width: Double
        var from: Double
        var to: Double
        var items = 0
        var weight = 0
    }

    /// Items (time, weight) gathered into at most `count` equal slices of the drawing; empty slices are left out.
    static func binned(_ items: [(Double, Int)], count: Int, x: (Double) -> Double) -> [Bin] {
        let left = Geometry.left
        let slice = (Geometry.right - left) / Double(max(1, count))
        var bins: [Int: Bin] = [:]
        for (time, weight) in items {
            let index = min(count - 1, max(0, Int((x(time) - left) / slice)))
            var bin = bins[index] ?? Bin(x: left + Double(index) * slice, width: slice, from: time, to: time)
            bin.items += 1
            bin.weight += weight
            bin.from = min(bin.from, time)
            bin.to = max(bin.to, time)
            bins[index] = bin
        }
        return bins.keys.sorted().map { bins[$0]! }
    }

    /// The time axis: ticks at 1, 2 or 5 × 10ⁿ seconds, 0 at the connect.
    static func axis(from t0: Double, to t1: Double, x: (Double) -> Double) -> String {
        func c(_ value: Double) -> String { HTMLText.coordinate(value) }
        var svg =
            "<line class=\"axis\" x1=\"\(c(Geometry.left))\" x2=\"\(c(Geometry.right))\" y1=\"\(c(Geometry.axisY))\" y2=\"\(c(Geometry.axisY))\"/>\n"
        let span = t1 - t0
        var step = 0.001
        while span / step > 10 {
            for factor in [2.0, 2.5, 2.0] where span / step > 10 { step *= factor }
        }
        var k = Int((t0 / step).rounded(.up))
        while Double(k) * step <= t1 + step * 1e-6 {
            let tick = Double(k) * step
            let at = x(tick)
            let zero = k == 0
            svg +=
                "<line class=\"tick\" x1=\"\(c(at))\" x2=\"\(c(at))\" y1=\"\(c(Geometry.axisY))\" y2=\"\(c(Geometry.axisY + 4))\"/>"
            svg +=
                "<text class=\"tick\" x=\"\(c(at))\" y=\"\(c(Geometry.axisY + 15))\" text-anchor=\"middle\">\(zero ? "0" : HTMLText.duration(tick))</text>\n"
            k += 1
        }
        return svg
    }

    /// Text from the target, cut to `limit` characters, not yet escaped.
    static func preview(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "… (\(HTMLText.count(text.count)) characters)"
    }
}

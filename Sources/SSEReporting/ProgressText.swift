import Foundation
import SSEConformance

/// The lines of live progress and `--dump`, as pure functions (the CLI prints them; tests pin them down).
public enum ProgressText {
    /// `probe primary: HTTP/1.1 200 OK, 5 event(s), 412 byte(s) in 0.6 s of 6 s; we stopped listening (...)`.
    public static func finishedLine(_ probe: ProbeActivity.Probe) -> String {
        let status = probe.statusLine.isEmpty ? "" : ConsoleReporter.clean(probe.statusLine) + ", "
        let seconds = probe.seconds.map { String(format: "%.1f", $0) } ?? "?"
        return
            "probe \(probe.label): \(status)\(probe.events) event(s), \(probe.bytes) byte(s) in \(seconds) s of \(TranscriptText.seconds(probe.window)) s; \(probe.end ?? "still listening")"
    }

    /// `primary +0.103 s @0 "data: 1\n"`: one line per stream line, each with its chunk's arrival time (seconds
    /// since the request) and byte offset; a line cut across chunks shows as pieces, each with its own time.
    /// Bytes are escaped as in transcripts, so the stream cannot drive the terminal.
    public static func dumpLines(_ label: String, _ chunk: BodyChunk) -> [String] {
        var lines: [String] = []
        var start = 0
        let bytes = chunk.bytes
        let time = String(format: "%.3f", chunk.time)
        for index in bytes.indices where bytes[index] == 0x0A || index == bytes.count - 1 {
            let piece = bytes[start...index]
            lines.append(
                "\(label) +\(time) s @\(chunk.offset + start) " + ConsoleReporter.clean(TranscriptText.escape(piece))
            )
            start = index + 1
        }
        return lines
    }

    /// `checks 6/22 (last: http/status-ok) · primary: 3 ev, 412 B, 2.1/6 s · client 1 of 3: ...`, cut to
    /// `width - 1` columns (so the terminal never wraps it).
    public static func liveLine(
        _ listening: [ProbeActivity.Probe],
        finished: Int,
        total: Int,
        lastCheck: String,
        now: ContinuousClock.Instant,
        width: Int
    ) -> String {
        var parts: [String] = []
        if total > 0 {
            parts.append("checks \(finished)/\(total)" + (lastCheck.isEmpty ? "" : " (last: \(lastCheck))"))
        }
        for probe in listening {
            let elapsed = now - probe.startedAt
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            parts.append(
                "\(probe.label): \(probe.events) ev, \(probe.bytes) B, "
                    + String(format: "%.1f", max(0, min(seconds, probe.window)))
                    + "/\(TranscriptText.seconds(probe.window)) s"
            )
        }
        if parts.isEmpty { parts.append("connecting...") }
        let line = parts.joined(separator: " · ")
        return line.count > width - 1 ? String(line.prefix(max(1, width - 2))) + "…" : line
    }
}

import Foundation
import ServerSentEvents

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parser against its peers, side by side: one generated stream written to one file, then in each round our
/// parser (observations off, every event as a borrowed view and as a `ServerSentEvent`; observations on, taken as
/// the log and as values), the PyPI
/// peers (scripts/parse-peers.py in .venv) and `wc -l` read that file,
/// one at a time; the best round of each gives MB/s, and their ratios are what to compare across machines.
struct CompareBenchmark {
    var size: Int
    var chunk: Int
    var rounds: Int
    var tools: PeerTools
    /// Where to write the stream and leave it; nil: a temporary file, removed at the end.
    var keep: String?

    /// One contender's best round.
    struct Figure {
        var peer: Peer
        var seconds: Double
        var count: Int
        var version: String
    }

    /// Runs every round; returns the process exit status (1 if a parser counted a different number of events).
    func run() throws -> Int32 {
        let (stream, expected) = ParseBenchmark.makeStream(size: size)
        let path =
            keep
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "sse-bench-compare-\(getpid()).txt"
            ).path
        try Data(stream).write(to: URL(fileURLWithPath: path))
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: path) } }
        let megabytes = Double(stream.count) / 1_000_000
        // `wc -l` reads the file several times in one process, so its start-up does not dominate a small file.
        let wcPasses = max(1, min(64, (512 << 20) / max(stream.count, 1)))
        say(
            "compare: \(stream.count) bytes of \(expected) events of ~\(stream.count / max(expected, 1)) bytes "
                + "(\(path)), chunks of \(chunk) bytes, best of \(rounds) round\(rounds == 1 ? "" : "s"); "
                + "one contender at a time, page cache warm"
        )
        var best: [Peer: Figure] = [:]
        for round in 1...rounds {
            for peer in Peer.allCases {
                let figure = try measure(peer, path: path, wcPasses: wcPasses)
                if let old = best[peer], old.seconds <= figure.seconds { continue }
                best[peer] = figure
            }
            if rounds > 1 { say("  round \(round) of \(rounds) done") }
        }
        say("")
        say(
            "  " + pad("contender", 40) + pad("MB/s", 10, right: true) + pad("events", 14, right: true)
                + "  what it measures"
        )
        var mismatches: [String] = []
        for peer in Peer.allCases {
            guard let figure = best[peer] else { continue }
            let events = peer == .wc ? figure.count / 2 : figure.count
            let label = peer == .wc ? "\(figure.count) lines" : "\(figure.count)"
            say(
                "  " + pad(peer.label + (figure.version.isEmpty ? "" : " " + figure.version), 40)
                    + pad(format(megabytes / figure.seconds), 10, right: true) + pad(label, 14, right: true)
                    + "  " + peer.measures(wcPasses: wcPasses)
            )
            if events != expected { mismatches.append("\(peer.label) counted \(label), expected \(expected) events") }
        }
        say("")
        say("ratios (same file, same run; throughput over throughput):")
        func ratio(_ a: Peer, _ b: Peer, _ target: String) {
            guard let x = best[a], let y = best[b] else { return }
            let value = y.seconds / x.seconds
            let line = "  " + pad("\(a.short) / \(b.short)", 34) + pad(format(value) + "x", 9, right: true)
            say(target.isEmpty ? line : line + "  " + target)
        }
        ratio(.oursViews, .httpxSSE, "target >= 30x")
        ratio(.oursOff, .httpxSSE, "")
        ratio(.oursOn, .httpxSSE, "target >= 15x")
        ratio(.oursValues, .httpxSSE, "")
        ratio(.oursViews, .sseclient, "")
        ratio(.oursOff, .sseclient, "")
        ratio(.oursOn, .sseclient, "")
        ratio(.wc, .oursViews, "target <= 5x")
        ratio(.wc, .oursOff, "")
        ratio(.wc, .oursOn, "")
        for mismatch in mismatches { say("MISMATCH: \(mismatch)") }
        return mismatches.isEmpty ? 0 : 1
    }

    func measure(_ peer: Peer, path: String, wcPasses: Int) throws -> Figure {
        switch peer {
        case .oursViews, .oursOff, .oursOn, .oursValues:
            let (seconds, events) = try parseFile(path, mode: peer.mode!)
            return Figure(peer: peer, seconds: seconds, count: events, version: "")
        case .httpxSSE, .sseclient:
            let result = try tools.runPython(peer: peer.scriptName, file: path, chunk: chunk)
            return Figure(peer: peer, seconds: result.seconds, count: result.events, version: result.version)
        case .wc:
            let (seconds, lines) = try tools.runWC(file: path, passes: wcPasses)
            return Figure(peer: peer, seconds: seconds / Double(wcPasses), count: lines / wcPasses, version: "")
        }
    }

    /// Reads the file with read(2) in `chunk`-byte chunks and parses each, as a client would; counts the events.
    func parseFile(_ path: String, mode: ParseBenchmark.Mode) throws -> (Double, Int) {
        var run = ParseRun(mode: mode)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        let clock = ContinuousClock()
        let start = clock.now
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw BenchError("cannot open \(path): errno \(errno)") }
        defer { close(fd) }
        while true {
            let n = read(fd, buffer.baseAddress, chunk)
            guard n > 0 else {
                if n < 0 { throw BenchError("read \(path): errno \(errno)") }
                break
            }
            run.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        let dispatched = run.finish()
        let elapsed = clock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, dispatched)
    }

    func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    func format(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}

/// The contenders, in the order each round runs them.
enum Peer: CaseIterable, Hashable {
    case oursViews, oursOff, oursOn, oursValues, httpxSSE, sseclient, wc

    var label: String {
        switch self {
        case .oursViews: "ours, events as views"
        case .oursOff: "ours, events as ServerSentEvent (String)"
        case .oursOn: "ours, observations on"
        case .oursValues: "ours, observations made into values"
        case .httpxSSE: "httpx-sse"
        case .sseclient: "sseclient-py"
        case .wc: "wc -l"
        }
    }

    var short: String {
        switch self {
        case .oursViews: "ours views"
        case .oursOff: "ours Strings"
        case .oursOn: "ours on"
        case .oursValues: "ours values"
        case .httpxSSE: "httpx-sse"
        case .sseclient: "sseclient"
        case .wc: "wc -l"
        }
    }

    /// Our parser's mode for this contender; nil for the peers.
    var mode: ParseBenchmark.Mode? {
        switch self {
        case .oursViews: .views
        case .oursOff: .strings
        case .oursOn: .observations
        case .oursValues: .values
        case .httpxSSE, .sseclient, .wc: nil
        }
    }

    var scriptName: String { self == .httpxSSE ? "httpx-sse" : "sseclient" }

    func measures(wcPasses: Int) -> String {
        switch self {
        case .oursViews:
            "EventStreamParser over read(2) chunks, observations off, every event a borrowed view (data bytes summed)"
        case .oursOff: "the same, every event a ServerSentEvent (data, type, id Strings)"
        case .oursOn:
            "views, every observation recorded, the log taken per chunk and each tag and offset read (what the"
                + " suite's analysis takes)"
        case .oursValues: "ServerSentEvents, every observation taken as an EventStreamObservation (Strings made)"
        case .httpxSSE: "EventSource.iter_sse() over an httpx.Response streaming the file (decode, lines, events)"
        case .sseclient: "SSEClient(chunks).events() over the same chunks"
        case .wc: "counts LF bytes only: the floor (one process reads the file \(wcPasses)x)"
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints a line at once (stdout may be a pipe).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

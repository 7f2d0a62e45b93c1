import Foundation
import NIOCore
import NIOPosix
import SSEReferenceServer

// Fan-out load figures for the reference server (issue 4, item 5). Release build:
//
//   swift run -c release sse-fanout-bench run [--streams 1000] [--seconds 10] [--cycles 10000]
//
// `run` starts `sse-fanout-bench serve` as a separate process (the server under test: the reference server plus
// this bench's `bench/clock` route, see Router+BenchClock.swift) and drives it from this process with raw NIO
// connections that only count events and read each event's tick time (`bench/clock` writes the wall-clock time of
// the tick that produced the event), so latency is measured from production to arrival on the same machine clock.
// `serve` announces its port as the first line on stdout: `listening on 127.0.0.1:<port>`.
//
//   swift run -c release sse-fanout-bench --target URL [--pid PID] [--streams 1000] [--seconds 10]
//
// drives any running HTTP/1.1 event-stream server the same way (TargetClient.swift): delivered events/s, the time
// between two events of a stream (p50, p99), and with --pid the server's RSS per open stream.
// scripts/fanout-peers starts the reference server, sse-starlette, aiohttp-sse and Express side by side.

/// An integer option: `default` when it is absent; a value that is missing, not a whole number or below
/// `minimum` ends the run with status 2 and says so (a bench run on a wrong figure would print nan or inf).
func argument(_ name: String, default value: Int, minimum: Int = 1) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name) else { return value }
    guard index + 1 < arguments.count, let parsed = Int(arguments[index + 1]), parsed >= minimum else {
        let given = index + 1 < arguments.count ? "'\(arguments[index + 1])'" : "nothing"
        FileHandle.standardError.write(
            Data("sse-fanout-bench: \(name) takes a whole number from \(minimum) up (got \(given))\n".utf8)
        )
        exit(2)
    }
    return parsed
}

func cpuList(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// GET `path` on loopback and return the body (for the stats endpoint).
func fetchBody(port: Int, path: String) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    let text = try await channel.executeThenClose { inbound, outbound in
        try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        var all = ""
        for try await chunk in inbound { all += String(buffer: chunk) }
        return all
    }
    guard let range = text.range(of: "\r\n\r\n") else { return "" }
    return String(text[range.upperBound...])
}

func producersRunning(port: Int, token: String) async throws -> Int {
    let body = try await fetchBody(port: port, path: "/stats?token=\(token)")
    let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    return object?["producersRunning"] as? Int ?? -1
}

/// Starts `sse-fanout-bench serve` and returns the process and the port it reports.
func startServer() throws -> (Process, Int) {
    let process = Process()
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    if let cpus = cpuList("--server-cpus") {
        // Pin the server (e.g. to core 0) when the client is pinned elsewhere with `taskset`.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        process.arguments = ["-c", cpus, executable.path, "serve", "--port", "0"]
    } else {
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0"]
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    var line = ""
    while !line.hasSuffix("\n") {
        let byte = pipe.fileHandleForReading.readData(ofLength: 1)
        guard !byte.isEmpty else { throw CocoaError(.fileReadUnknown) }
        line += String(decoding: byte, as: UTF8.self)
    }
    guard let port = Int(line.split(separator: ":").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    else { throw CocoaError(.fileReadCorruptFile) }
    return (process, port)
}

func measure(
    client: LoadClient,
    serverPID: Int32,
    label: String,
    streams: Int,
    path: String,
    seconds: Int
) async throws {
    let rssBefore = ProcessStats.residentKiB(pid: serverPID)
    let openStart = ContinuousClock.now
    try await client.open(count: streams, path: path)
    let openTime = ContinuousClock.now - openStart
    try await Task.sleep(for: .seconds(2))  // warm-up
    _ = try await client.snapshot(reset: true)
    let cpuStart = ProcessStats.cpuSeconds(pid: serverPID)
    let start = ContinuousClock.now
    try await Task.sleep(for: .seconds(seconds))
    let result = try await client.snapshot(reset: true)
    let elapsed = ContinuousClock.now - start
    let cpu = ProcessStats.cpuSeconds(pid: serverPID) - cpuStart
    let rssOpen = ProcessStats.residentKiB(pid: serverPID)
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    say("[\(label)] \(streams) streams on \(path), opened in \(openTime)")
    say(
        "[\(label)] delivered \(Int(Double(result.events) / wall)) events/s over \(String(format: "%.1f", wall)) s; "
            + "latency p50 \(String(format: "%.2f", result.p50)) ms, p99 \(String(format: "%.2f", result.p99)) ms; "
            + "server CPU \(String(format: "%.0f", cpu / wall * 100))%"
    )
    say(
        "[\(label)] server RSS \(rssBefore) KiB before, \(rssOpen) KiB with the streams open: "
            + "\(String(format: "%.1f", Double(rssOpen - rssBefore) / Double(streams))) KiB per open stream"
    )
    try await client.closeAll()
}

/// `--target URL [--pid PID] [--streams N] [--seconds S] [--label L]`: the load client against any running server.
func measureTarget(url: String) async throws {
    guard let target = URL(string: url) else { throw BenchFailure("--target: not a URL: \(url)") }
    let streams = argument("--streams", default: 1000)
    let seconds = argument("--seconds", default: 10)
    let pid: Int32? = try cpuList("--pid").map { text in
        guard let pid = Int32(text), pid > 0, kill(pid, 0) == 0 || errno == EPERM else {
            throw BenchFailure("--pid: no process \(text) (the server's process ID, for its RSS and CPU)")
        }
        return pid
    }
    let label = cpuList("--label") ?? target.absoluteString
    let client = try TargetClient(loop: MultiThreadedEventLoopGroup.singleton.next(), url: target)
    let rssBefore = pid.map { ProcessStats.residentKiB(pid: $0) }
    let openStart = ContinuousClock.now
    do {
        try await client.open(count: streams)
    } catch let error as BenchFailure {
        throw error
    } catch {
        let refused = String(describing: error).contains("Connection refused")
        throw BenchFailure(
            "could not open the streams on \(url): "
                + (refused ? "connection refused: is the server running and listening there?" : "\(error)")
        )
    }
    let openTime = ContinuousClock.now - openStart
    try await Task.sleep(for: .seconds(2))  // warm-up
    _ = try await client.snapshot(reset: true)
    let cpuStart = pid.map { ProcessStats.cpuSeconds(pid: $0) }
    let start = ContinuousClock.now
    try await Task.sleep(for: .seconds(seconds))
    let result = try await client.snapshot(reset: true)
    let elapsed = ContinuousClock.now - start
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(result.events) / wall
    let two = { (value: Double) in String(format: "%.2f", value) }
    say("[\(label)] \(streams) streams on \(url), opened in \(openTime)")
    say(
        "[\(label)] delivered \(Int(rate)) events/s over \(String(format: "%.1f", wall)) s; inter-arrival per stream "
            + "p50 \(two(result.gapP50)) ms, p99 \(two(result.gapP99)) ms"
            + (result.latencySamples > 0
                ? "; latency p50 \(two(result.latencyP50)) ms, p99 \(two(result.latencyP99)) ms" : "")
    )
    var perStream = "n/a"
    if let pid, let rssBefore {
        let cpu = ProcessStats.cpuSeconds(pid: pid) - (cpuStart ?? 0)
        let rssOpen = ProcessStats.residentKiB(pid: pid)
        perStream = String(format: "%.1f", Double(rssOpen - rssBefore) / Double(streams))
        say(
            "[\(label)] server pid \(pid): CPU \(String(format: "%.0f", cpu / wall * 100))%, RSS \(rssBefore) KiB before, "
                + "\(rssOpen) KiB with the streams open: \(perStream) KiB per open stream"
        )
    }
    for failure in result.failures { say("[\(label)] stream failure: \(failure)") }
    // One line for scripts (scripts/fanout-peers): label, events/s, inter-arrival p50 and p99 (ms), KiB per stream.
    say(
        "result\t\(label)\t\(Int(rate))\t\(two(result.gapP50))\t\(two(result.gapP99))\t\(perStream)"
            + "\t\(result.failures.count)"
    )
    try await client.closeAll()
}

let mode =
    CommandLine.arguments.contains("--target") ? "target" : (CommandLine.arguments.dropFirst().first ?? "run")
switch mode {
case "target":
    do {
        try await measureTarget(url: cpuList("--target") ?? "")
    } catch {
        FileHandle.standardError.write(Data("sse-fanout-bench: \(error)\n".utf8))
        exit(2)
    }

case "serve":
    ReferenceServer.installEventLoopExecutor()
    let configuration = ReferenceServer.Configuration(port: argument("--port", default: 0, minimum: 0)) {
        router,
        environment in
        router.addBenchClock(environment: environment, manifest: .bundled)
    }
    try await ReferenceServer.runUntilSignalled(configuration) { url in
        let port = url.split(separator: ":").last.map { $0.filter(\.isNumber) } ?? "0"
        say("listening on 127.0.0.1:\(port)")
    }

case "run":
    let streams = argument("--streams", default: 1000)
    let seconds = argument("--seconds", default: 10)
    let cycles = argument("--cycles", default: 10_000, minimum: 0)
    let (server, port) = try startServer()
    let pid = server.processIdentifier
    say("server pid \(pid) on port \(port); client: one event loop in this process")
    let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let client = LoadClient(loop: clientGroup.next(), port: port)
    do {
        try await measure(
            client: client,
            serverPID: pid,
            label: "paced",
            streams: streams,
            path: "/bench/clock?interval=100&token=paced",
            seconds: seconds
        )
        try await Task.sleep(for: .seconds(1))
        try await measure(
            client: client,
            serverPID: pid,
            label: "saturation",
            streams: streams,
            path: "/bench/clock?interval=1&token=saturation",
            seconds: seconds
        )
        try await Task.sleep(for: .seconds(1))

        // Connect-abort cycles: each opens a never-ending scenario, waits for its first event, and closes.
        let rssBefore = ProcessStats.residentKiB(pid: pid)
        let cycleStart = ContinuousClock.now
        var done = 0
        while done < cycles {
            let batch = min(100, cycles - done)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<batch {
                    group.addTask {
                        let channel = try await client.connect(
                            path: "/scenarios/never?interval=10&token=cycles",
                            onFirstEvent: { channel in channel.close(promise: nil) }
                        )
                        try await channel.closeFuture.get()
                    }
                }
                try await group.waitForAll()
            }
            done += batch
        }
        let cycleTime = ContinuousClock.now - cycleStart
        let settleStart = ContinuousClock.now
        var running = try await producersRunning(port: port, token: "cycles")
        while running != 0, ContinuousClock.now - settleStart < .seconds(5) {
            try await Task.sleep(for: .milliseconds(10))
            running = try await producersRunning(port: port, token: "cycles")
        }
        let settle = ContinuousClock.now - settleStart
        let rssAfter = ProcessStats.residentKiB(pid: pid)
        let stats = try await fetchBody(port: port, path: "/stats?token=cycles")
        say("[cycles] \(cycles) connect-first-event-abort cycles in \(cycleTime); stats \(stats)")
        say("[cycles] producers running \(running) (settled \(settle) after the last abort)")
        say("[cycles] server RSS \(rssBefore) KiB before, \(rssAfter) KiB after: growth \(rssAfter - rssBefore) KiB")
    } catch {
        say("bench failed: \(error)")
    }
    server.terminate()
    server.waitUntilExit()
    try await clientGroup.shutdownGracefully()

default:
    say(
        "usage: sse-fanout-bench run [--streams N] [--seconds S] [--cycles N] | serve [--port P]\n"
            + "       sse-fanout-bench --target URL [--pid PID] [--streams N] [--seconds S] [--label L]"
    )
    exit(2)
}

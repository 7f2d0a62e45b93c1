import Foundation
import Synchronization

/// A server process started by a test: a Python script that binds 127.0.0.1 port 0 and prints JSON lines on stdout,
/// the first `{"event": "listening", "port": N}`, then whatever it wants the test to know (requests, disconnects).
/// `stop()` ends it by its PID.
final class TestServer: Sendable {
    /// One line the server printed.
    struct Record: Decodable, Sendable {
        var event: String
        var port: Int?
        var path: String?
        var n: Int?
        var headers: [String: String]?
        var t: Double?
        var sent: Int?
        var how: String?
        var session: Int?
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// The repository root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private let process: Process
    /// The port the server bound.
    let port: Int

    /// The scenario server of `Servers/scenario_server.py`, on the system's `python3`; `options` go to the script
    /// (`--tls CERT KEY`, `--client-ca CA`).
    static func scenarios(_ options: [String] = []) async throws -> TestServer {
        let script = root.appendingPathComponent("Tests/SSEClientTests/Servers/scenario_server.py").path
        return try await start(executable: "/usr/bin/env", arguments: ["python3", script] + options)
    }

    /// The HTTP/2 server of `Servers/h2_server.js` on Node: h2c, or TLS with `["--tls", CERT, KEY]`.
    static func http2(_ options: [String] = []) async throws -> TestServer {
        let script = root.appendingPathComponent("Tests/SSEClientTests/Servers/h2_server.js").path
        return try await start(executable: "/usr/bin/env", arguments: ["node", script] + options)
    }

    /// Starts `executable` with `arguments` and waits (at most 20 s) for it to say which port it listens on.
    static func start(executable: String, arguments: [String]) async throws -> TestServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = root
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        // Servers that cannot be signalled (a child inherits the spawning thread's blocked signals) exit when
        // their stdin closes.
        let stdin = Pipe()
        process.standardInput = stdin
        let box = RecordSink()
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            box.take(Array(data))
        }
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            box.takeError(Array(data))
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let port = box.records.first(where: { $0.event == "listening" })?.port {
                return TestServer(process: process, port: port, sink: box, stdin: stdin)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        throw StartError(description: "server \(arguments) did not report its port; stderr: \(box.errorText)")
    }

    private let sink: RecordSink
    private let stdin: Pipe

    private init(process: Process, port: Int, sink: RecordSink, stdin: Pipe) {
        self.process = process
        self.port = port
        self.sink = sink
        self.stdin = stdin
    }

    /// `http://127.0.0.1:PORT` + path.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Every line printed so far.
    var records: [Record] { sink.records }

    /// The requests seen for a path.
    func requests(_ path: String) -> [Record] { records.filter { $0.event == "request" && $0.path == path } }

    /// Waits until `condition` holds for the records or `timeout` passes; returns whether it held.
    func wait(timeout: Duration = .seconds(10), until condition: ([Record]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(records) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(records)
    }

    /// Ends the server process: closes its stdin, sends SIGTERM to its PID, then SIGKILL if it is still there
    /// after 2 s.
    func stop() {
        guard process.isRunning else { return }
        try? stdin.fileHandleForWriting.close()
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(2)
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning {
            kill(pid, SIGKILL)
            while process.isRunning { usleep(10_000) }
        }
    }

    deinit { stop() }
}

/// Collects a server's stdout lines as records.
final class RecordSink: Sendable {
    private let state = Mutex<(records: [TestServer.Record], buffer: [UInt8], errors: [UInt8])>(([], [], []))

    func take(_ bytes: [UInt8]) {
        state.withLock { s in
            s.buffer += bytes
            while let newline = s.buffer.firstIndex(of: 0x0A) {
                let line = Array(s.buffer[..<newline])
                s.buffer.removeFirst(newline + 1)
                if let record = try? JSONDecoder().decode(TestServer.Record.self, from: Data(line)) {
                    s.records.append(record)
                }
            }
        }
    }

    func takeError(_ bytes: [UInt8]) {
        state.withLock { s in
            if s.errors.count < 64 * 1024 { s.errors += bytes }
        }
    }

    var records: [TestServer.Record] { state.withLock { $0.records } }
    var errorText: String { state.withLock { String(decoding: $0.errors, as: UTF8.self) } }
}

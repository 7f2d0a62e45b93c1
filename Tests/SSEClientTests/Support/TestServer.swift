import Foundation
import SSETestSupport

/// A server process started by a test: a Python or Node script that binds 127.0.0.1 port 0, announces it with its
/// first stdout line (`PortAnnouncement`), then prints JSON lines, one per thing it wants the test to know
/// (requests, disconnects). A `ServerProcess`; `stop()` ends it by its PID.
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
        /// The request method and body (fetch-style requests).
        var method: String?
        var body: String?
    }

    /// The repository root.
    static var root: URL { RepositoryFiles.root }

    private let server: ServerProcess
    /// The port the server bound.
    var port: Int { server.port }

    /// The scenario server of `Servers/scenario_server.py`, on the system's `python3`; `options` go to the script
    /// (`--tls CERT KEY`, `--client-ca CA`).
    static func scenarios(_ options: [String] = []) async throws -> TestServer {
        let script = root.appendingPathComponent("Tests/SSEClientTests/Servers/scenario_server.py").path
        return try await start(executable: "python3", arguments: [script] + options)
    }

    /// The HTTP/2 server of `Servers/h2_server.js` on Node: h2c, or TLS with `["--tls", CERT, KEY]`.
    static func http2(_ options: [String] = []) async throws -> TestServer {
        let script = root.appendingPathComponent("Tests/SSEClientTests/Servers/h2_server.js").path
        return try await start(executable: "node", arguments: [script] + options)
    }

    /// Starts `executable` (looked up on PATH) with `arguments` in the repository root and waits (at most 20 s)
    /// for it to announce its port. Its stdin is a pipe held open until `stop()`: servers that cannot be signalled
    /// exit when it closes.
    static func start(executable: String, arguments: [String]) async throws -> TestServer {
        let name = arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? executable
        return TestServer(server: try await ServerProcess.start(name: name, [executable] + arguments, timeout: 20))
    }

    private init(server: ServerProcess) {
        self.server = server
    }

    /// `http://127.0.0.1:PORT` + path.
    func url(_ path: String) -> String { server.url(path) }

    /// Every JSON line printed so far.
    var records: [Record] {
        server.outputLines.compactMap { line in try? JSONDecoder().decode(Record.self, from: Data(line.utf8)) }
    }

    /// The requests seen for a path.
    func requests(_ path: String) -> [Record] { records.filter { $0.event == "request" && $0.path == path } }

    /// Waits until `condition` holds for the records or `timeout` passes; returns whether it held. (30 s: a full
    /// parallel test run on 2 cores once starved the server's report of a disconnect past 10 s; nothing here is
    /// timed but "not forever".)
    func wait(timeout: Duration = .seconds(30), until condition: ([Record]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(records) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(records)
    }

    /// Ends the server process: closes its stdin, sends SIGTERM to its PID, then SIGKILL if it is still there
    /// after 2 s.
    func stop() { server.stop() }
}

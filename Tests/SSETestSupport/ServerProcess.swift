import Foundation

/// A server the tests run as a ``ChildProcess``: started with its stdin a pipe (it may exit at EOF), it binds
/// 127.0.0.1 port 0 and says which port with its first stdout line (``PortAnnouncement``). ``stop()`` ends it by
/// its PID (closes stdin, TERM, then KILL); so does releasing it.
public final class ServerProcess: Sendable {
    /// The child process.
    public let process: ChildProcess
    /// The port it announced.
    public let port: Int
    /// A name for messages.
    public let name: String

    /// The server's process id.
    public var pid: Int32 { process.pid }
    /// `http://127.0.0.1:PORT/`.
    public var baseURL: String { "http://127.0.0.1:\(port)/" }
    /// `http://127.0.0.1:PORT` + `path` (which starts with `/`).
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    private init(process: ChildProcess, port: Int, name: String) {
        self.process = process
        self.port = port
        self.name = name
    }

    deinit { process.stop() }

    /// Starts `argv` in `directory` (the repository root by default) and waits up to `timeout` seconds for its
    /// port announcement; blocks the calling thread. Kills the child and throws, with its stderr, when none comes.
    public static func startBlocking(
        name: String,
        _ argv: [String],
        directory: URL = RepositoryFiles.root,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: Double = 30
    ) throws -> ServerProcess {
        let process = try ChildProcess(argv, environment: environment, directory: directory.path, input: .pipe)
        let line = process.firstLine(timeout: timeout)
        guard let port = line.flatMap(PortAnnouncement.port(in:)) else {
            process.kill()
            let said = line.map { "its first line was \"\($0)\"" } ?? "it printed no line within \(timeout) s"
            throw ChildProcess.Failure(
                description:
                    "\(name) did not announce its port (\"\(PortAnnouncement.prefix)<port>\"): \(said); "
                    + "stderr:\n\(process.stderrSoFar.suffix(2000))"
            )
        }
        return ServerProcess(process: process, port: port, name: name)
    }

    /// ``startBlocking(name:_:directory:environment:timeout:)`` on a thread of its own, so no task thread waits.
    public static func start(
        name: String,
        _ argv: [String],
        directory: URL = RepositoryFiles.root,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: Double = 30
    ) async throws -> ServerProcess {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        try startBlocking(
                            name: name,
                            argv,
                            directory: directory,
                            environment: environment,
                            timeout: timeout
                        )
                    }
                )
            }
        }
    }

    /// Ends the server (idempotent).
    public func stop() { process.stop() }

    /// The complete lines the server printed on stdout after its announcement, so far.
    public var outputLines: [Substring] {
        let text = process.stdoutSoFar
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // after the last newline: empty, or a line still being written
        return Array(lines.dropFirst())
    }

    /// The tail of the server's stderr, for failure messages.
    public func logTail() -> String { String(process.stderrSoFar.suffix(2000)) }
}

import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A server in a child process that prints `PORT <n>` on stdout once it listens on 127.0.0.1.
///
/// Its stdin is a pipe we hold open: the gallery server exits when it reads EOF, so it also goes away if the
/// test process dies without stopping it. `stop()` ends it by its PID (TERM, then KILL).
final class ServerProcess: Sendable {
    let process: Process
    let port: Int
    let name: String
    private let stdinPipe: Pipe
    let logPath: String

    var baseURL: String { "http://127.0.0.1:\(port)/" }
    var pid: Int32 { process.processIdentifier }

    private init(process: Process, port: Int, name: String, stdinPipe: Pipe, logPath: String) {
        self.process = process
        self.port = port
        self.name = name
        self.stdinPipe = stdinPipe
        self.logPath = logPath
    }

    /// The repository root (this file is Tests/SSEGalleryTests/Support/ServerProcess.swift).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Tests/SSEGalleryTests/servers/
    static let serversDirectory = repositoryRoot.appendingPathComponent("Tests/SSEGalleryTests/servers")

    /// Starts `executable arguments...` and waits (up to `timeout` seconds) for its `PORT <n>` line.
    static func start(
        name: String,
        executable: String,
        arguments: [String],
        timeout: Double = 30
    ) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = serversDirectory
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        let logPath = NSTemporaryDirectory() + "sse-gallery-\(name)-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        let reader = stdoutPipe.fileHandleForReading
        let port: Int? = try? await withDeadlineSeconds(timeout) {
            var buffer = Data()
            while true {
                let data = reader.availableData  // blocks until output or EOF
                if data.isEmpty { return nil }
                buffer.append(data)
                if let text = String(data: buffer, encoding: .utf8),
                    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }),
                    let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
                {
                    return port
                }
            }
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw ServerStartError(
                description: "\(name) did not print PORT <n> within \(timeout) s; its stderr:\n\(log.suffix(2000))"
            )
        }
        return ServerProcess(process: process, port: port, name: name, stdinPipe: stdinPipe, logPath: logPath)
    }

    /// Ends the server by its PID: TERM, then KILL after a second.
    func stop() {
        let pid = process.processIdentifier
        guard process.isRunning else { return }
        try? stdinPipe.fileHandleForWriting.close()
        kill(pid, SIGTERM)
        for _ in 0..<20 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// The tail of the server's stderr, for failure messages.
    func logTail() -> String {
        String(((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").suffix(2000))
    }
}

struct ServerStartError: Error, CustomStringConvertible {
    var description: String
}

/// Runs blocking work on a thread, giving up after `seconds`.
func withDeadlineSeconds<T: Sendable>(_ seconds: Double, _ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try work() })
                }
            }
        }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw ServerStartError(description: "timed out after \(seconds) s")
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
    }
}

/// The gallery server (servers/gallery_server.py), started once around the whole gallery suite.
enum Gallery {
    @TaskLocal static var server: ServerProcess?

    static func startServer() async throws -> ServerProcess {
        try await ServerProcess.start(
            name: "gallery",
            executable: "/usr/bin/env",
            arguments: [
                "python3", ServerProcess.serversDirectory.appendingPathComponent("gallery_server.py").path, "--port",
                "0",
            ]
        )
    }

    /// The running gallery server; fails the test when the suite trait did not start one.
    static func running() throws -> ServerProcess {
        try #require(server, "the gallery server is started by the GalleryServer suite trait")
    }
}

/// Starts the gallery server once for the suite it is attached to, and stops it (by PID) when the suite ends.
struct GalleryServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await Gallery.startServer()
        print("gallery server: python3 servers/gallery_server.py, PID \(server.pid), PORT \(server.port)")
        defer { server.stop() }
        try await Gallery.$server.withValue(server) {
            try await function()
        }
    }
}

extension Trait where Self == GalleryServerTrait {
    /// Runs the suite with the gallery server started once around it.
    static var galleryServer: Self { Self() }
}

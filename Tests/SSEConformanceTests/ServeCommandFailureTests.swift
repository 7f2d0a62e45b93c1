import Foundation
import SSETestSupport
import Testing

/// `--serve-command` tests the server it started or says why it could not.
@Suite(.serialized)
struct ServeCommandFailureTests {
    @Test func aTakenPortIsExitTwoBeforeAnythingStarts() async throws {
        let other = try await PythonServer.start(script: "cli_server.py")
        defer { other.stop() }
        let directory = RunProcesses.directory("taken")
        let marker = directory.appendingPathComponent("started").path
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(other.port)/good", "--serve-command", "touch \(marker); sleep 30",
            "--junit", directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "something already answers on 127.0.0.1:\(other.port) before --serve-command started: stop it or choose another port"
            ),
            "\(result.stderr)"
        )
        #expect(!FileManager.default.fileExists(atPath: marker), "the command was started anyway")
        let xml = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(!xml.contains("<failure "))
    }

    @Test func aServerThatExitsMidRunIsExitTwoWithItsLogTail() async throws {
        let port = try PythonServer.freePort()
        let directory = RunProcesses.directory("dies")
        // Serves /dies for 2 s after the primary probe's request (while it listens), then exits: timed from the
        // request, not from the start, which a loaded machine can stretch past any fixed time.
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(port)/dies", "--serve-command",
            "python3 \(RunProcesses.cliServer) \(port); echo 'server gone: crashed on purpose'",
            "--junit", directory.appendingPathComponent("junit.xml").path, "--listen", "6",
        ])
        #expect(result.status == 2, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        #expect(
            result.stderr.contains("the --serve-command server exited with status 0 during the run"),
            "\(result.stderr)"
        )
        #expect(result.stderr.contains("server gone: crashed on purpose"), "the log tail: \(result.stderr)")
        #expect(result.stderr.contains("listening on 127.0.0.1:\(port)"))
        let xml = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(!xml.contains("<failure "), "the unfinished checks are errors, not failures")
        #expect(xml.contains("<error "))
    }

    @Test func theRunEndsAsSoonAsTheGroupIsGone() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let port = try PythonServer.freePort()
        let directory = RunProcesses.directory("quickstop")
        let started = Date()
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(port)/good", "--serve-command",
            "exec python3 \(RunProcesses.cliServer) \(port)", "--listen", "1", "--junit",
            directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // The run itself takes a few seconds; the old fixed 5 s wait at the end would come on top.
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 12, "\(elapsed) s")
    }
}

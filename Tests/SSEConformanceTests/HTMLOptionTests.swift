import Foundation
import SSETestSupport
import Testing

/// `--html PATH` and `--html -`, like the other reports.
@Suite(.serialized)
struct HTMLOptionTests {
    @Test func htmlDashPrintsTheReportOnStdoutAndTheConsoleOnStderr() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("htmldash")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/good", "--listen", "1", "--html", "-", "--junit",
            directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>"), "\(result.stdout.prefix(200))")
        #expect(result.stdout.contains("<svg class=\"timeline\" data-connection=\"1\""))
        #expect(result.stderr.contains(" 0 failed"), "the console goes to stderr: \(result.stderr)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        #expect(!files.contains("report.html"), "\(files)")
    }

    @Test func htmlPathIsWrittenWhereAsked() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("htmlpath")
        let html = directory.appendingPathComponent("elsewhere/run.html")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/plain", "--listen", "1", "--html", html.path, "--junit",
            directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let text = try String(contentsOf: html, encoding: .utf8)
        #expect(text.contains("data-check=\"http/content-type\""))
        #expect(text.contains("<span class=\"badge s-fail\">FAIL</span> <code>http/content-type</code>"))
        // The transcript sits in the JUnit file's directory, not beside this HTML file: linked by absolute path.
        let transcript = directory.appendingPathComponent("transcripts/http__content-type.txt").path
        #expect(text.contains("<a href=\"\(transcript)\">"), "transcript link")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("report.html").path))
    }

    /// Live runs: real arrival times from the client, and the labels a reader looks for on the primary's timeline
    /// (on the reconnection's for a slow reconnection).
    @Test(arguments: [
        ("/burst", "Silence then a burst (a buffering proxy or compressor?): "),
        // About 1 s (999 ms on a loaded machine): the timed finding, whatever its exact figure.
        ("/pending", "its last line (byte 36) arrived at +"),
        ("/pending", "Event pending when it ended: 10 byte(s) from byte "),
        (
            "/slow-reconnect",
            "Slow reconnection: a client waiting the retry 2,500 ms in force (set by the stream) gets "
        ),
    ])
    func aLiveRunLabelsWhatWentWrong(_ path: String, _ finding: String) async throws {
        let server = try await PythonServer.start(script: "timeline_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("htmllive")
        // Only the probes the selected checks need are made: the reconnection only for a reconnect check.
        let only = path == "/slow-reconnect" ? ["--only", "reconnect/served-again"] : ["--only", "framing/*"]
        let result = try await CLI.run(
            ["--target", "http://127.0.0.1:\(server.port)\(path)", "--listen", "4"] + only + [
                "--junit", directory.appendingPathComponent("junit.xml").path,
            ]
        )
        #expect(result.status != 2, "the run could judge: \(result.stderr)")
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        let label = path == "/slow-reconnect" ? "reconnection" : "primary"
        let connection = try #require(
            html.components(separatedBy: "<article class=\"connection\"").dropFirst().first {
                $0.contains("data-label=\"\(label)\"")
            }
        )
        #expect(connection.contains("<li class=\"finding "), "\(path): no finding listed")
        #expect(connection.contains(finding), "\(path): \(finding)")
    }

    @Test func onlyOneReportMayUseStandardOutput() async throws {
        for other in [["--junit", "-"], ["--json", "-"]] {
            let result = try await CLI.run(["--html", "-"] + other)
            #expect(result.status == 2, "\(other): \(result.stderr)")
            #expect(result.stderr.contains("--html - cannot share standard output"), "\(result.stderr)")
        }
    }
}

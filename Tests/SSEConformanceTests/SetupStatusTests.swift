import Foundation
import SSETestSupport
import Testing

/// 401, 404, 405 on the first request are setup mistakes: could not test (exit 2) with a hint, and the body of
/// the response (the login or error page) in the transcript and the JSON.
@Suite(.serialized)
struct SetupStatusTests {
    @Test(arguments: [
        (401, "--header 'Authorization: ...'"), (404, "check the path"), (405, "EventSource sends only GET"),
    ])
    func aSetupStatusIsCouldNotTestWithAHint(_ code: Int, _ hint: String) async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("status")
        let json = directory.appendingPathComponent("report.json")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/status/\(code)", "--junit",
            directory.appendingPathComponent("junit.xml").path, "--json", json.path,
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("could not test"), "\(result.stderr)")
        #expect(result.stderr.contains("answered HTTP/1.1 \(code)"), "\(result.stderr)")
        #expect(result.stderr.contains(hint), "\(result.stderr)")
        let report = try String(contentsOf: json, encoding: .utf8)
        #expect(report.contains(hint.replacingOccurrences(of: "'", with: "'")))
        #expect(report.contains("page for status \(code)"), "the first bytes of the body are in the JSON")
        #expect(!report.contains("\"status\" : \"fail\""), "no check fails on a setup mistake")
        let transcript = try String(
            contentsOf: directory.appendingPathComponent("transcripts/http__status-ok.txt"),
            encoding: .utf8
        )
        #expect(transcript.contains("<h1>page for status \(code)</h1>"))
        #expect(transcript.contains("[4096]"), "up to 4 KiB of the body: \(transcript.prefix(800))")
    }

    @Test func aServerErrorStaysAVerdict() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("status500")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/status/500", "--listen", "1", "--junit",
            directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("FAIL  http/status-ok"))
    }
}

import Foundation
import SSETestSupport
import Testing

/// `--deadline` bounds the whole run, whatever the target does.
@Suite(.serialized)
struct DeadlineTests {
    @Test(arguments: [("/silent", 3.0), ("/slow", 3.0), ("/slow", 5.0)])
    func theRunEndsWithinDeadlinePlusASecond(_ path: String, _ deadline: Double) async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("deadline")
        let started = Date()
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)\(path)", "--deadline", String(deadline), "--junit",
            directory.appendingPathComponent("junit.xml").path,
        ])
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < deadline + 1, "\(path) --deadline \(deadline) ran \(elapsed) s")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("the whole-run deadline (--deadline \(deadline) s) was reached"))
        let xml = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(xml.contains("--deadline"))
        #expect(try await XMLLint.validate(xml).status == 0)
    }
}

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
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("the whole-run deadline (--deadline \(deadline) s) was reached"))
        let xml = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
        // The run's own clock (the report's total time, from the run's start to its reports) keeps the deadline
        // within a second; the wall clock around the process adds starting a debug binary and its exit, which
        // a loaded CI machine (the whole suite in parallel on 2 cores) has stretched past a second.
        let reported = try #require(Self.totalTime(xml), "no time on <testsuites> in \(xml)")
        #expect(reported < deadline + 1, "\(path) --deadline \(deadline): the run reported \(reported) s")
        #expect(elapsed < deadline + 5, "\(path) --deadline \(deadline) ran \(elapsed) s as a process")
        #expect(xml.contains("--deadline"))
        #expect(try await XMLLint.validate(xml).status == 0)
    }

    /// The `time` attribute of the report's `<testsuites>` element.
    static func totalTime(_ xml: String) -> Double? {
        guard let element = xml.range(of: "<testsuites"), let end = xml[element.upperBound...].range(of: ">"),
            let time = xml[element.upperBound..<end.lowerBound].range(of: #"time=""#)
        else { return nil }
        let value = xml[time.upperBound...].prefix { $0 != "\"" }
        return Double(value)
    }
}

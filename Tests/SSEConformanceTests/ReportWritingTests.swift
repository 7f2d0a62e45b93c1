import Foundation
import SSETestSupport
import Testing

/// A report that cannot be written is exit 2 with one clear line; `-` is standard output.
@Suite(.serialized)
struct ReportWritingTests {
    @Test(arguments: [
        ("--json", "/proc/x.json", "no such file or directory"),
        ("--html", "/proc/x.html", "no such file or directory"),
        ("--junit", "/proc/sse-conformance-test/junit.xml", "cannot create directory"),
    ])
    func anUnwritableReportIsExitTwoWithOneLine(_ option: String, _ path: String, _ reason: String) async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("unwritable")
        var arguments = ["--target", "http://127.0.0.1:\(server.port)/good", "--listen", "1", option, path]
        if option == "--json" || option == "--html" {
            arguments += ["--junit", directory.appendingPathComponent("junit.xml").path]
        }
        // The HTML report goes beside the JUnit file by default: elsewhere here, so only one report fails.
        if option == "--junit" { arguments += ["--html", directory.appendingPathComponent("report.html").path] }
        let result = try await CLI.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("could not write") }
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("sse-conformance: could not write \(option) \(path): ") == true, "\(lines)")
        #expect(lines.first?.contains(reason) == true, "\(lines)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func junitDashPrintsTheXMLOnStdoutAndTheConsoleOnStderr() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/good", "--listen", "1", "--junit", "-",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<?xml"), "\(result.stdout.prefix(200))")
        #expect(try await XMLLint.validate(result.stdout).status == 0)
        #expect(result.stderr.contains(" 0 failed"), "the console goes to stderr: \(result.stderr)")
    }

    @Test func jsonDashPrintsTheJSONOnStdout() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("jsondash")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/good", "--listen", "1", "--json", "-", "--junit",
            directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["tool"] as? String == "sse-conformance")
    }
}

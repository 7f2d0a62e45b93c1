import Foundation
import Testing

/// `--method`, `--data`, `--data-file`: usage errors, and a fetch-style run's report saying so at the top.
@Suite(.serialized)
struct FetchStyleCLITests {
    static let body = #"{"q":1}"#

    @Test(arguments: [
        ["--target", "http://127.0.0.1:9/chat", "--data", "x", "--data-file", "/etc/hostname"],
        ["--target", "http://127.0.0.1:9/chat", "--data-file", "/nonexistent/body.json"],
        ["--target", "http://127.0.0.1:9/chat", "--data-file", "/tmp"],
        ["--target", "http://127.0.0.1:9/chat", "--method", "TRACE"],
        ["--target", "http://127.0.0.1:9/chat", "--method", "PO ST"],
        ["--method", "POST"],
        ["--target", "http://127.0.0.1:9/chat", "--method", "GET", "--data", "x"],
    ])
    func requestUsageErrorsExitTwoAndSayWhy(_ arguments: [String]) async throws {
        let result = try await CLI.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        let named = arguments.contains("--data-file") ? "--data" : "--method"
        #expect(result.stderr.contains(named), "\(arguments): \(result.stderr)")
    }

    @Test func aFetchStyleRunSaysSoInEveryReport() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("fetch-style")
        let json = directory.appendingPathComponent("report.json")
        let junit = directory.appendingPathComponent("junit.xml")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/chat", "--data", Self.body, "--header",
            "Content-Type: application/json", "--listen", "3", "--junit", junit.path, "--json", json.path,
        ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let described = "POST with a \(Self.body.utf8.count)-byte body (fetch-style)"
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count > 1 && lines[1] == "request: \(described)", "\(result.stdout)")
        #expect(
            try String(contentsOf: junit, encoding: .utf8).contains(
                #"<property name="request" value="\#(described)"/>"#
            )
        )
        let report = try String(contentsOf: json, encoding: .utf8)
        #expect(report.contains(#""request" : "\#(described)""#))
        // Each result says how its check applies to the fetch-style request.
        #expect(report.contains(#""fetchStyle" : "resends: the reconnection re-sends the same request"#), "\(report)")
        #expect(report.contains(#""fetchStyle" : "unchanged: the stream is parsed by the same algorithm"#))
        // The whole answer was read (no --events): its end was judged, and it was not re-asked.
        #expect(result.stdout.contains("PASS  framing/terminated-before-close"), "\(result.stdout)")
        #expect(result.stdout.contains("PASS  close/server-complete-clean"), "\(result.stdout)")
        #expect(result.stdout.contains("SKIP  reconnect/served-again"), "\(result.stdout)")
    }

    @Test func aDataFileIsSentAsItsBytes() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("body-\(UUID()).json")
        try Data(Self.body.utf8).write(to: file)
        let directory = RunProcesses.directory("fetch-style-file")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/chat", "--data-file", file.path, "--listen", "3",
            "--only", "http/*", "--junit", directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("request: POST with a \(Self.body.utf8.count)-byte body"), "\(result.stdout)")
    }

    @Test func aGETOnAPostOnlyEndpointHintsAtMethod() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = RunProcesses.directory("fetch-style-405")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/chat", "--junit",
            directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--method POST --data"), "\(result.stderr)")
    }
}

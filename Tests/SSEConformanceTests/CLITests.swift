import Foundation
import SSETestSupport
import Testing

/// The `sse-conformance` binary end to end: help text against golden copies, exit codes, reports, redaction,
/// and `--serve-command` with a real third-party server.
@Suite(.serialized)
struct CLITests {
    @Test(arguments: [
        ("help.txt", ["--help"]), ("help-run.txt", ["run", "--help"]), ("help-list.txt", ["list", "--help"]),
        ("help-serve.txt", ["serve", "--help"]),
    ])
    func helpMatchesGolden(_ golden: String, _ arguments: [String]) async throws {
        let result = try await CLI.run(arguments)
        #expect(result.status == 0)
        try ReporterTests.golden("../cli/" + golden, result.stdout)
    }

    @Test(arguments: [
        ["--bogus"], ["--events", "0"], ["--only", "nosuch/*"], ["--skip", "nosuchgroup"], ["--serve-command", "true"],
        ["--target", "ftp://example.com/x"], ["--header", "no colon"], ["--profile", "express"], ["--key", "k.pem"],
    ])
    func usageErrorsExitTwoAndSayWhy(_ arguments: [String]) async throws {
        let result = try await CLI.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("Error:"), "\(arguments): \(result.stderr)")
    }

    @Test func unknownBaselineIdIsAUsageError() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID()).txt")
        try Data("# known\nframing/utf8\nframing/nope\n".utf8).write(to: file)
        let result = try await CLI.run(["--expected-failures", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("framing/nope"))
    }

    @Test func listShowsEveryCheckAndTheReadmeTableIsCurrent() async throws {
        let list = try await CLI.run(["list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("framing/terminated-promptly"))
        let table = try await CLI.run(["list", "--markdown"]).stdout
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(
            readme.contains(table),
            "README.md's check list is stale: paste the output of `swift run sse-conformance list --markdown`"
        )
    }

    @Test func unreachableTargetExitsTwoQuicklyAndStillWritesTheReport() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        let junit = directory.appendingPathComponent("junit.xml")
        let started = Date()
        let result = try await CLI.run(["--target", "http://127.0.0.1:1/sse", "--junit", junit.path])
        #expect(result.status == 2)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.stderr.contains("could not test http://127.0.0.1:1/sse"))
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("<error message=\"target unreachable"))
        #expect(try await XMLLint.validate(xml).status == 0)
    }

    @Test func failingTargetExitsOneWritesTranscriptsAndRedactsHeaders() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        let secret = "Bearer s3cr3t-\(UUID())"
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/plain", "--junit",
            directory.appendingPathComponent("junit.xml").path,
            "--json", directory.appendingPathComponent("report.json").path, "--header", "Authorization: \(secret)",
            "--listen", "1",
        ])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("FAIL  http/content-type"))
        #expect(result.stdout.contains("actual:   Content-Type: text/plain"))
        let transcript = directory.appendingPathComponent("transcripts/http__content-type.txt")
        let text = try String(contentsOf: transcript, encoding: .utf8)
        #expect(text.contains("Authorization: <redacted>"))
        for file in try FileManager.default.subpathsOfDirectory(atPath: directory.path) {
            let path = directory.appendingPathComponent(file).path
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            #expect(!String(decoding: data, as: UTF8.self).contains("s3cr3t"), "\(file) leaks the header value")
        }
        #expect(!result.stdout.contains("s3cr3t"))
    }

    @Test func garbageInsteadOfHTTPExitsTwoWithAReason() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/garbage", "--junit",
            directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("could not test"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("junit.xml").path))
    }

    @Test func aLineOverMaxLineIsReportedAsAnErrorWithinBoundedTime() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        let result = try await CLI.run(
            [
                "--target", "http://127.0.0.1:\(server.port)/huge", "--junit",
                directory.appendingPathComponent("junit.xml").path,
                "--max-line", "65536", "--listen", "2",
            ],
            timeout: 60
        )
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stdout.contains("ERROR framing/utf8"))
        #expect(result.stdout.contains("65536-byte limit"))
        #expect(result.stdout.contains("raise --max-line"))
    }

    @Test func baselineTurnsKnownFailuresIntoSkipsAndCatchesStaleEntries() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let baseline = directory.appendingPathComponent("baseline.txt")
        let common = [
            "--target", "http://127.0.0.1:\(server.port)/plain", "--junit",
            directory.appendingPathComponent("junit.xml").path, "--listen", "1",
        ]
        let written = try await CLI.run(common + ["--write-expected-failures", baseline.path])
        #expect(written.status == 1)
        let ids = try String(contentsOf: baseline, encoding: .utf8)
        #expect(ids.contains("http/content-type"))
        let rerun = try await CLI.run(common + ["--expected-failures", baseline.path])
        #expect(rerun.status == 2 || rerun.status == 0, "known failures no longer fail the run: \(rerun.stderr)")
        #expect(!rerun.stdout.contains("FAIL "))
        // A conformant target with the same baseline: the listed checks now pass, which fails the run.
        let good = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/good", "--junit",
            directory.appendingPathComponent("junit2.xml").path, "--listen", "1", "--expected-failures", baseline.path,
        ])
        #expect(good.status == 1)
        #expect(good.stdout.contains("remove http/content-type from the baseline"))
    }

    @Test func serveCommandStartsAThirdPartyServerTestsItAndStopsItsProcessGroup() async throws {
        let python = CLI.packageRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record(
                "\(python.path) is missing: run scripts/bootstrap (it installs sse-starlette and uvicorn into .venv)"
            )
            return
        }
        let port = try PythonServer.freePort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        let servers = CLI.packageRoot.appendingPathComponent("Tests/SSEConformanceTests/servers").path
        let command =
            "cd \(servers) && exec \(python.path) -m uvicorn starlette_app:app --host 127.0.0.1 --port \(port) --log-level warning"
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(port)/events", "--serve-command", command, "--serve-timeout", "30",
            "--junit", directory.appendingPathComponent("junit.xml").path, "--listen", "2",
        ])
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        #expect(result.stdout.contains(" 0 failed"))
        #expect(result.stdout.contains(" 0 errored"))
        #expect(!PythonServer.portAnswers(port), "the server's process group was not stopped")
    }
}

/// Runs the built `sse-conformance` binary.
enum CLI {
    static var packageRoot: URL { RepositoryFiles.root }

    static var binary: URL {
        get throws {
            var candidates = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                    "sse-conformance"
                )
            ]
            candidates.append(packageRoot.appendingPathComponent(".build/debug/sse-conformance"))
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw XMLLint.Missing(
                    description: "sse-conformance binary not found (looked in \(candidates.map(\.path)))"
                )
            }
            return found
        }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(
        _ arguments: [String],
        executable: String? = nil,
        timeout: TimeInterval = 120,
        environment extra: [String: String] = [:]
    ) async throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["COLUMNS"] = "100"
        environment["FORCE_COLOR"] = nil
        environment.merge(extra) { _, new in new }
        let process = try ChildProcess(
            [try executable ?? binary.path] + arguments,
            environment: environment,
            directory: packageRoot.path
        )
        let status = try await process.finished(timeout: timeout)
        return Result(status: status, stdout: process.stdout, stderr: process.stderr)
    }
}

/// A stdlib Python server from servers/, which announces its port (`PortAnnouncement`) once listening.
struct PythonServer {
    let server: ServerProcess
    var port: Int { server.port }

    static func start(script: String) async throws -> PythonServer {
        let path = CLI.packageRoot.appendingPathComponent("Tests/SSEConformanceTests/servers/\(script)").path
        do {
            return PythonServer(server: try await ServerProcess.start(name: script, ["python3", path], timeout: 10))
        } catch {
            throw ChildProcess.Failure(description: "\(error) (python3 missing? run scripts/bootstrap)")
        }
    }

    func stop() { server.process.kill() }

    /// A port nothing listens on, for a server the test starts. Picked below the kernel's ephemeral range
    /// (32768 and up here): a port from that range can be taken, before the server binds it, by the outgoing
    /// connection of another test running beside this one ("Address already in use").
    static func freePort() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20_000..<32_000)
            if bindable(port) { return port }
        }
        throw ChildProcess.Failure(description: "no free port found between 20000 and 32000 on 127.0.0.1")
    }

    /// Whether 127.0.0.1:`port` can be bound now.
    static func bindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func portAnswers(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// `sse-conformance serve` as an external target: the suite passes it in scenario mode, and SIGTERM shuts it down
/// gracefully (exit 0, port closed).
@Suite(.serialized)
struct ServeCommandTests {
    @Test func serveIsAConformantScenarioServerAndStopsOnSIGTERM() async throws {
        let port = try PythonServer.freePort()
        let server = try ChildProcess([try CLI.binary.path, "serve", "--port", String(port)])
        defer { server.kill() }
        let deadline = Date().addingTimeInterval(20)
        while !PythonServer.portAnswers(port) && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        #expect(PythonServer.portAnswers(port), "serve did not listen on \(port)")
        let base = "http://127.0.0.1:\(port)/"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID())")
        let result = try await CLI.run([
            "--target", base + "sse?interval=100", "--scenarios", base, "--profile", "nestjs",
            "--junit", directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        #expect(result.stdout.contains(" 0 failed, 0 warned"))
        kill(server.pid, SIGTERM)
        let status = try await server.finished(timeout: 15)
        #expect(status == 0, "serve exited with \(status) after SIGTERM: \(server.stderr)")
        #expect(!PythonServer.portAnswers(port))
        #expect(server.stderr.contains("serving the reference server at \(base)"))
    }
}

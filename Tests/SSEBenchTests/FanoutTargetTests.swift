import Foundation
import SSETestSupport
import Testing

/// `sse-fanout-bench --target URL --pid PID` end to end against the reference server (`sse-fanout-bench serve`),
/// with a few streams: every stream delivers, and the figures and the result line are printed. No timing is judged
/// beyond "events arrived" (a debug build on a loaded machine).
@Suite("sse-fanout-bench --target")
struct FanoutTargetTests {
    @Test func drivesARunningServerAndReportsItsFigures() async throws {
        let binary = try Self.binary.path
        let server = try await ServerProcess.start(name: "sse-fanout-bench serve", [binary, "serve", "--port", "0"])
        defer { server.stop() }
        let client = try ChildProcess(
            [
                binary, "--target", server.url("/bench/clock?interval=50"), "--pid", String(server.pid),
                "--streams", "20", "--seconds", "2", "--label", "ref",
            ],
            directory: RepositoryFiles.root.path
        )
        let status = try await client.finished(timeout: 120)
        #expect(status == 0, "exit \(status): \(client.stdout) \(client.stderr)")
        let result = client.stdout.split(separator: "\n").first { $0.hasPrefix("result\t") }
        let fields = try #require(result, "no result line in:\n\(client.stdout)").split(separator: "\t")
        try #require(fields.count == 7, "\(fields)")
        #expect(fields[1] == "ref")
        // 20 streams at 20 events/s each would be 400 events/s; on a loaded machine, at least some.
        #expect((Int(fields[2]) ?? 0) > 40, "events/s \(fields[2])")
        // Inter-arrival of a 50 ms ticker: p50 near 50 ms.
        #expect((Double(fields[3]) ?? 0) > 10, "gap p50 \(fields[3])")
        #expect(Double(fields[5]) != nil, "KiB per stream \(fields[5]) (the pid was given)")
        #expect(fields[6] == "0", "stream failures:\n\(client.stdout)")
        #expect(client.stdout.contains("KiB per open stream"))
    }

    @Test func aRefusedTargetIsAClearError() async throws {
        let client = try ChildProcess(
            [try Self.binary.path, "--target", "ftp://127.0.0.1:9/x", "--streams", "1", "--seconds", "1"],
            directory: RepositoryFiles.root.path
        )
        let status = try await client.finished(timeout: 60)
        #expect(status == 2)
        #expect(client.stderr.contains("--target takes an http:// URL"))
    }

    /// Nothing listening, a figure that would print nan or inf, a process that is not there: exit 2 and why.
    @Test(arguments: [
        (
            ["--target", "http://127.0.0.1:1/x"],
            "could not open the streams on http://127.0.0.1:1/x: connection refused"
        ),
        (["--target", "http://127.0.0.1:1/x", "--streams", "0"], "--streams takes a whole number from 1 up (got '0')"),
        (
            ["--target", "http://127.0.0.1:1/x", "--seconds", "ten"],
            "--seconds takes a whole number from 1 up (got 'ten')"
        ),
        (["--target", "http://127.0.0.1:1/x", "--pid", "999999999"], "--pid: no process 999999999"),
    ])
    func badInputIsAClearError(_ arguments: [String], _ message: String) async throws {
        let client = try ChildProcess([try Self.binary.path] + arguments, directory: RepositoryFiles.root.path)
        let status = try await client.finished(timeout: 60)
        #expect(status == 2, "\(client.stdout)")
        #expect(client.stderr.contains(message), "\(client.stderr)")
    }

    static var binary: URL {
        get throws {
            let candidates = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                    .appendingPathComponent("sse-fanout-bench"),
                RepositoryFiles.url(".build/debug/sse-fanout-bench"),
            ]
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw ChildProcess.Failure(
                    description: "sse-fanout-bench not built (looked in \(candidates.map(\.path)))"
                )
            }
            return found
        }
    }
}

import Foundation
import SSETestSupport
import Testing

/// `sse-bench compare` end to end on a small stream (a debug build: no timing is judged, only that every contender
/// ran on the same file and the parsers agree).
@Suite("sse-bench compare")
struct CompareCommandTests {
    @Test func everyParserCountsTheSameEvents() async throws {
        let (process, status) = try await Self.run(["compare", "--size", "256K", "--rounds", "1"], timeout: 300)
        #expect(status == 0, "exit \(status): \(process.stderr)")
        let output = process.stdout
        // One row per contender: label, MB/s, count. The parsers' counts are events; wc's are lines.
        var counts: [String: Int] = [:]
        let parsers = [
            "ours, events as views", "ours, events as ServerSentEvent (String)", "ours, observations on",
            "ours, observations made into values", "httpx-sse", "sseclient-py",
        ]
        for label in parsers + ["wc -l"] {
            let row = output.split(separator: "\n").first { $0.hasPrefix("  " + label) }
            let fields = row.map { $0.dropFirst(42).split(separator: " ") } ?? []
            try #require(fields.count >= 2, "no row for \(label) in:\n\(output)")
            #expect(Double(fields[0]).map { $0 > 0 } == true, "\(label): MB/s \(fields[0])")
            counts[label] = Int(fields[1])
        }
        let events = try #require(counts["ours, events as views"])
        #expect(events > 2000, "256 KiB of ~100-byte events")
        for label in parsers { #expect(counts[label] == events, "\(label)") }
        // Each event is a data line and a blank line.
        #expect(counts["wc -l"] == 2 * events)
        #expect(output.contains("ours views / httpx-sse"))
        #expect(output.contains("ours Strings / httpx-sse"))
        #expect(output.contains("ours on / httpx-sse"))
        #expect(output.contains("ours values / httpx-sse"))
        #expect(output.contains("wc -l / ours views"))
        #expect(!output.contains("MISMATCH"))
    }

    /// `sse-bench analysis`: the checks' reading of a body; it stops (a precondition) unless the analysis found
    /// every event and every block of the generated stream.
    @Test func theAnalysisBenchmarkReadsEveryEvent() async throws {
        let (process, status) = try await Self.run(["analysis", "--size", "256K", "--rounds", "1"], timeout: 300)
        #expect(status == 0, "exit \(status): \(process.stderr)")
        let row = process.stdout.split(separator: "\n").first { $0.hasPrefix("  StreamAnalysis: ") }
        let rate = row.flatMap { Double($0.dropFirst("  StreamAnalysis: ".count).prefix { $0 != " " }) }
        #expect(rate.map { $0 > 0 } == true, "\(process.stdout)")
    }

    @Test func aMissingPythonIsNamed() async throws {
        let (process, status) = try await Self.run(
            ["compare", "--size", "64K", "--python", "/nonexistent/python"],
            timeout: 60
        )
        #expect(status == 2)
        #expect(process.stderr.contains("/nonexistent/python not found: run scripts/python-peers"))
    }

    /// Runs sse-bench with `arguments` and waits for it to exit.
    static func run(_ arguments: [String], timeout: Double) async throws -> (ChildProcess, Int32) {
        let process = try ChildProcess([try binary.path] + arguments, directory: RepositoryFiles.root.path)
        return (process, try await process.finished(timeout: timeout))
    }

    static var binary: URL {
        get throws {
            let candidates = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                    .appendingPathComponent("sse-bench"),
                RepositoryFiles.url(".build/debug/sse-bench"),
            ]
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw ChildProcess.Failure(description: "sse-bench not built (looked in \(candidates.map(\.path)))")
            }
            return found
        }
    }
}

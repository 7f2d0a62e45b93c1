import Foundation
import Testing

/// The console of real runs (issue 14), output not a terminal as in CI: the header first, a line per finished
/// connection, each check once, evidence with the bytes in question, the reports written, `--dump`, colour.
@Suite(.serialized)
struct CLIConsoleTests {
    @Test func failingRunShowsHeaderFirstProbeLinesEvidenceAndReports() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        let json = directory.appendingPathComponent("report.json").path
        // --junit -: the console goes to standard error with the progress, so their order can be read.
        let result = try await CLI.run([
            "http://127.0.0.1:\(server.port)/plain", "--junit", "-", "--json", json, "--listen", "1", "-v",
        ])
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let header = "sse-conformance 0.1.0: http://127.0.0.1:\(server.port)/plain (profile spec, mode passive)"
        #expect(lines.first == header, "\(lines.prefix(3))")
        let probe = try #require(
            lines.firstIndex {
                $0.hasPrefix("probe primary: HTTP/1.0 200 OK") || $0.hasPrefix("probe primary: HTTP/1.1 200 OK")
            },
            "\(result.stderr)"
        )
        let tree = try #require(lines.firstIndex { $0.contains("FAIL  http/content-type") })
        #expect(probe < tree)
        // -v: each check once.
        #expect(lines.filter { $0.contains(" http/status-ok ") }.count == 1, "\(result.stderr)")
        // The header's value as received, not only the status line.
        #expect(result.stderr.contains(#"evidence: primary: HTTP/1"#))
        #expect(result.stderr.contains(#"; Content-Type: "text/plain"#), "\(result.stderr)")
        // Every report written, at the end.
        let reports = try #require(lines.firstIndex(of: "reports"), "\(result.stderr)")
        let listed = lines[reports...].joined(separator: "\n")
        #expect(listed.contains("JUnit        standard output"), "\(listed)")
        #expect(listed.contains("JSON         \(json)"), "\(listed)")
        #expect(listed.contains("transcripts  \(directory.path)/transcripts/ ("), "\(listed)")
        #expect(result.stdout.hasPrefix("<?xml"))
    }

    @Test func dumpPrintsThePrimaryBodyAsItArrivesWithTimes() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)/good", "--dump", "--listen", "2",
            "--junit", directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let dumped = result.stderr.split(separator: "\n").filter { $0.hasPrefix("primary +") }
        #expect(dumped.count >= 5, "\(result.stderr)")
        let pattern = #/^primary \+\d+\.\d{3} s @\d+ ".*"$/#
        #expect(dumped.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(dumped)")
        #expect(dumped.contains { $0.hasSuffix(#" "data: "#) || $0.contains(#""data: "#) || $0.contains(#""id: "#) })
        #expect(dumped.contains { $0.hasSuffix(#" "\n""#) }, "blank lines are shown escaped: \(dumped)")
        #expect(!result.stdout.contains("primary +"), "the dump goes to standard error")
        // JUnit: a check's time is the time its connections took, not 0.000 because another check waited first.
        // The primary waits for 5 events sent 50 ms apart: at least 0.2 s.
        let xml = try String(contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
        for id in ["http/status-ok", "http/content-type", "framing/utf8"] {
            let match = try #require(
                xml.firstMatch(of: try Regex(#"<testcase name="\#(id)" classname="[a-z]+" time="([0-9.]+)""#)),
                "\(id) in \(xml)"
            )
            let time = Double(match.output[1].substring ?? "") ?? 0
            #expect(time >= 0.2, "\(id) took \(time) s")
        }
    }

    @Test func colorFollowsTheOptionAndTheEnvironment() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        let common = ["--target", "http://127.0.0.1:1/sse", "--junit", directory.appendingPathComponent("j.xml").path]
        // Interrupted runs and unreachable targets print no tree; colour shows in the header-less report list.
        let plain = try await CLI.run(common)
        let always = try await CLI.run(common + ["--color", "always"])
        let forced = try await CLI.run(common, environment: ["FORCE_COLOR": "1"])
        let never = try await CLI.run(common + ["--no-color"], environment: ["FORCE_COLOR": "1"])
        #expect(!plain.stdout.contains("\u{1B}["), "NO_COLOR and no terminal: \(plain.stdout)")
        #expect(always.stdout.contains("\u{1B}[1mreports"), "\(always.stdout)")
        #expect(forced.stdout.contains("\u{1B}[1mreports"), "\(forced.stdout)")
        #expect(!never.stdout.contains("\u{1B}["))
        let bad = try await CLI.run(common + ["--color", "sometimes"])
        #expect(bad.status == 2)
    }

    /// On a terminal (a pseudo-terminal from util-linux's `script`): the header, then one progress line redrawn
    /// in place with the listening connection's events, bytes and window, cleared before the tree; no
    /// finished-connection lines without -v.
    @Test func onATerminalProgressIsOneLineRedrawnInPlace() async throws {
        let script = "/usr/bin/script"
        guard FileManager.default.isExecutableFile(atPath: script) else {
            Issue.record("\(script) is missing: install bsdutils (util-linux), which provides script(1)")
            return
        }
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
        let command = [
            try CLI.binary.path, "http://127.0.0.1:\(server.port)/slow", "--listen", "2", "--events", "1",
            "--only", "http", "--junit", directory.appendingPathComponent("junit.xml").path,
        ].map { "'\($0)'" }.joined(separator: " ")
        let result = try await CLI.run(
            ["-q", "-e", "-c", command, "/dev/null"],
            executable: script,
            timeout: 120,
            environment: ["COLUMNS": "90"]
        )
        let output = result.stdout
        #expect(result.status == 0 || result.status == 2, "\(output)")
        let header = try #require(output.range(of: "sse-conformance 0.1.0: http://127.0.0.1:\(server.port)/slow"))
        let firstRedraw = try #require(output.range(of: "\r\u{1B}[2K"), "no live line: \(output)")
        #expect(header.lowerBound < firstRedraw.lowerBound)
        let redraws = output.components(separatedBy: "\r\u{1B}[2K").dropFirst().map {
            $0.prefix { !$0.isNewline }
        }
        #expect(redraws.contains { $0.contains("primary: 0 ev, ") && $0.contains("/2 s") }, "\(redraws)")
        #expect(redraws.allSatisfy { $0.count <= 89 }, "the live line is cut to the width: \(redraws)")
        #expect(!output.contains("probe primary:"), "finished-connection lines are for logs and -v: \(output)")
        #expect(output.contains("http/status-ok"))
    }
}

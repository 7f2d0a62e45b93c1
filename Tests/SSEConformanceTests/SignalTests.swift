import Foundation
import SSETestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT during a real run: reports are written, the started server's group is stopped, the exit
/// code says which signal; a second signal exits at once.
@Suite(.serialized)
struct SignalTests {
    @Test func sigtermMidProbeWritesValidJUnitAndStopsTheServerGroup() async throws {
        let port = try PythonServer.freePort()
        let directory = RunProcesses.directory("signal")
        let junit = directory.appendingPathComponent("junit.xml")
        // A shell leading the group with the server as its child: both must be gone afterwards.
        let run = try RunProcesses.start([
            "--target", "http://127.0.0.1:\(port)/slow", "--serve-command",
            "python3 \(RunProcesses.cliServer) \(port); echo server ended", "--junit", junit.path, "--listen", "6",
        ])
        defer { run.kill() }
        #expect(await RunProcesses.wait(timeout: 30) { PythonServer.portAnswers(port) }, "the server never answered")
        let groups = RunProcesses.childGroups(of: run.pid)
        #expect(groups.count == 1, "expected the --serve-command group among the run's children: \(groups)")
        #expect(groups.allSatisfy { !RunProcesses.members(ofGroup: $0).isEmpty })
        // The primary probe is listening to /slow now (an event every 3 s, --listen 6).
        let signalled = Date()
        run.signal(SIGTERM)
        let status = try await run.finished(timeout: 30)
        #expect(status == 143, "stderr:\n\(run.stderr)")
        #expect(Date().timeIntervalSince(signalled) < 15)
        #expect(run.stderr.contains("interrupted by SIGTERM"), "\(run.stderr)")
        #expect(run.stdout.contains(" errored"), "the summary line is printed: \(run.stdout)")
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("interrupted by SIGTERM"))
        #expect(xml.contains("<error "))
        #expect(!xml.contains("<failure "), "interrupted checks are errors, not failures")
        #expect(try await XMLLint.validate(xml).status == 0)
        for group in groups {
            #expect(RunProcesses.members(ofGroup: group).isEmpty, "group \(group) survived the run")
            // A member may be left a zombie until init reaps it (here about once a second): then the group is gone.
            #expect(await RunProcesses.wait(timeout: 10) { kill(-group, 0) == -1 && errno == ESRCH })
        }
        // (Not "the port no longer answers": once the server is gone, another test's server may be given the same
        // free port. The group checks above are the proof that the server is gone.)
    }

    @Test func aSecondSignalExitsAtOnceAndKillsTheGroup() async throws {
        let port = try PythonServer.freePort()
        let directory = RunProcesses.directory("signal2")
        // The server ignores SIGTERM, so stopping it takes the whole grace: the second signal must cut that short.
        let run = try RunProcesses.start([
            "--target", "http://127.0.0.1:\(port)/slow", "--serve-command",
            "trap '' TERM; python3 \(RunProcesses.cliServer) \(port)", "--junit",
            directory.appendingPathComponent("junit.xml").path,
        ])
        defer { run.kill() }
        #expect(await RunProcesses.wait(timeout: 30) { PythonServer.portAnswers(port) })
        let groups = RunProcesses.childGroups(of: run.pid)
        run.signal(SIGTERM)
        // Nothing to observe between the two signals but time: the run is in its 5 s TERM grace by then.
        try? await Task.sleep(for: .milliseconds(1500))
        #expect(run.isRunning, "the first signal should wait out the server's TERM grace")
        let second = Date()
        run.signal(SIGTERM)
        let status = try await run.finished(timeout: 10)
        #expect(Date().timeIntervalSince(second) < 2.5)
        #expect(status == 143)
        #expect(run.stderr.contains("exiting at once"), "\(run.stderr)")
        for group in groups {
            #expect(await RunProcesses.wait(timeout: 5) { RunProcesses.members(ofGroup: group).isEmpty })
        }
        // (The port is not checked: once the server is gone, another test's server may be given it.)
    }
}

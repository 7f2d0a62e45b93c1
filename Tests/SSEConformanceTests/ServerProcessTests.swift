import Foundation
import Testing

@testable import sse_conformance

#if canImport(Glibc)
import Glibc
#endif

/// `--serve-command`'s process group is gone when nothing in it runs: a member left a zombie (its parent, the
/// shell, exited; init reaps it when it gets to it, in a container once a second or never) does not hold the
/// stop or the run.
struct ServerProcessTests {
    @Test func aGroupLeftWithOnlyAZombieIsGone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serverprocess-\(UUID())")
        // The shell becomes `sleep 30`; its background `sleep 0.2` ends and stays a zombie (sleep never reaps).
        let process = try ServerProcess.start(command: "sleep 0.2 & exec sleep 30", logDirectory: directory)
        defer { kill(-process.pid, SIGKILL) }
        try await Task.sleep(for: .milliseconds(600))
        #expect(!process.groupIsGone, "the leader runs")
        #expect(ServerProcess.liveMember(group: process.pid) != nil)
        kill(process.pid, SIGKILL)
        let end = ContinuousClock.now + .seconds(10)
        while process.exited() == nil && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(10)) }
        #expect(process.exited() != nil, "the leader was not reaped")
        // At once, whether or not init has reaped the orphaned zombie yet.
        #expect(ServerProcess.liveMember(group: process.pid) == nil)
        #expect(process.groupIsGone)
        let stopped = ContinuousClock.now
        process.stop()
        #expect(ContinuousClock.now - stopped < .milliseconds(500))
    }

    @Test func aLiveMemberKeepsTheGroup() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serverprocess-\(UUID())")
        // The shell exits at once; its background sleep lives on in the group.
        let process = try ServerProcess.start(command: "sleep 30 & exit 0", logDirectory: directory)
        defer { kill(-process.pid, SIGKILL) }
        let end = ContinuousClock.now + .seconds(10)
        while process.exited() == nil && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(10)) }
        #expect(process.exited() != nil)
        #expect(ServerProcess.liveMember(group: process.pid) != nil)
        #expect(!process.groupIsGone, "the sleep still runs")
        #expect(!process.groupIsGone, "the sleep still runs (the member found last time, looked at first)")
        process.stop()
        #expect(process.groupIsGone)
    }
}

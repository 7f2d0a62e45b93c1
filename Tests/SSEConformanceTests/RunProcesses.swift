import Foundation
import SSETestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Helpers for tests that drive a real `sse-conformance` run: started without waiting, and the processes it
/// started found through /proc.
enum RunProcesses {
    /// Starts `sse-conformance arguments` without waiting for it (the environment `CLI.run` uses).
    static func start(_ arguments: [String]) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["COLUMNS"] = "100"
        return try ChildProcess(
            [try CLI.binary.path] + arguments,
            environment: environment,
            directory: CLI.packageRoot.path
        )
    }

    /// (pid, ppid, pgrp, state) of every process, from /proc/<pid>/stat.
    static func table() -> [(pid: Int32, ppid: Int32, pgrp: Int32, state: Character)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name -> (Int32, Int32, Int32, Character)? in
            guard let pid = Int32(name),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "(comm)": state ppid pgrp ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, let ppid = Int32(fields[1]), let pgrp = Int32(fields[2]) else { return nil }
            return (pid, ppid, pgrp, fields[0].first ?? "?")
        }
    }

    /// The process groups of the children of `pid` other than its own group (a `--serve-command` group).
    static func childGroups(of pid: Int32) -> Set<Int32> {
        let rows = table()
        let own = rows.first { $0.pid == pid }?.pgrp
        return Set(rows.filter { $0.ppid == pid && $0.pgrp != own }.map(\.pgrp))
    }

    /// Live (non-zombie) processes in group `pgrp`.
    static func members(ofGroup pgrp: Int32) -> [Int32] {
        table().filter { $0.pgrp == pgrp && $0.state != "Z" }.map(\.pid)
    }

    /// Polls `condition` every 50 ms for up to `timeout` seconds, without blocking a thread.
    static func wait(timeout: Double, _ condition: () -> Bool) async -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    /// The cli_server.py path.
    static var cliServer: String {
        CLI.packageRoot.appendingPathComponent("Tests/SSEConformanceTests/servers/cli_server.py").path
    }

    /// A fresh report directory.
    static func directory(_ label: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID())")
    }
}

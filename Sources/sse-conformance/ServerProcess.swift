import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A target server started with `--serve-command`: a shell command in its own process group (so `npm run start`
/// and the node it leaves behind are stopped together), its output kept in a log file.
final class ServerProcess: @unchecked Sendable {
    let pid: pid_t
    let logURL: URL
    let command: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private init(pid: pid_t, logURL: URL, command: String) {
        self.pid = pid
        self.logURL = logURL
        self.command = command
    }

    /// Starts `/bin/sh -c command` in a new process group, stdout and stderr to `server.log` in `logDirectory`.
    static func start(command: String, logDirectory: URL) throws -> ServerProcess {
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let logURL = logDirectory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logURL.path, O_WRONLY | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (stopped as a whole), and default signal handling even if ours is blocked.
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        )
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for arg in argv { free(arg) } }
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw Failure(description: "could not start --serve-command: \(String(cString: strerror(result)))")
        }
        return ServerProcess(pid: pid, logURL: logURL, command: command)
    }

    private let reaped = Mutex<Int32?>(nil)

    /// Whether the shell (the group leader) has exited, with its wait status; reaps it once and remembers.
    func exited() -> Int32? {
        reaped.withLock { stored in
            if let stored { return stored }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            stored = status
            return status
        }
    }

    /// Whether no process of the group is left running (the leader reaped, every other member gone or a zombie).
    ///
    /// A member whose parent (the shell) has exited is reparented to init, which reaps it when it gets to it: in a
    /// container whose init reaps once a second, or never, the dead server would otherwise hold the stop (and the
    /// run) for that long, or for the whole grace. A zombie holds no port and runs nothing.
    var groupIsGone: Bool {
        guard exited() != nil else { return false }
        if kill(-pid, 0) != 0 && errno == ESRCH { return true }
        // The member found alive last time is looked at first: the run's monitor asks every 100 ms while a server
        // the shell left behind runs, and a scan of /proc reads every process.
        if let known = lastLiveMember.withLock({ $0 }), Self.liveState(of: known, inGroup: pid) == true {
            return false
        }
        let live = Self.liveMember(group: pid)
        lastLiveMember.withLock { $0 = live }
        return live == nil
    }

    private let lastLiveMember = Mutex<pid_t?>(nil)

    /// A live (not zombie) process of group `group`, read from /proc where there is one; where there is not, the
    /// group leader's ID stands for "alive" (`kill` said the group exists).
    static func liveMember(group: pid_t) -> pid_t? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return group }
        for entry in entries where entry.first?.isNumber == true {
            guard let pid = pid_t(entry), liveState(of: pid, inGroup: group) == true else { continue }
            return pid
        }
        return nil
    }

    /// Whether process `pid` is in group `group` and not a zombie, from /proc/PID/stat; nil if it cannot be read.
    static func liveState(of pid: pid_t, inGroup group: pid_t) -> Bool? {
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ", maxSplits: 4)
        guard fields.count > 3 else { return nil }
        return Int32(fields[2]) == group && fields[0] != "Z"
    }

    /// How the leader ended, in words (for "exited" messages).
    var exitDescription: String {
        guard let status = exited() else { return "is still running" }
        if status & 0x7f == 0 { return "exited with status \((status >> 8) & 0xff)" }
        return "was killed by signal \(status & 0x7f)"
    }

    /// Polls `url` until its host and port accept a TCP connection, the group is gone, or `timeout` passes.
    func waitUntilAnswering(url: String, timeout: Double) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            if groupIsGone {
                throw Failure(description: "--serve-command \(exitDescription) before \(url) answered")
            }
            if await TCPConnectProbe.accepts(url) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "\(url) did not answer within \(timeout) s of starting --serve-command")
    }

    /// Stops the whole process group: TERM, up to `grace` seconds for every member to go, then KILL. Returns as
    /// soon as the group is gone.
    func stop(grace: Double = 5) {
        if groupIsGone { return }
        kill(-pid, SIGTERM)
        let end = ContinuousClock.now + .milliseconds(Int(grace * 1000))
        while ContinuousClock.now < end {
            if groupIsGone { return }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)
        for _ in 0..<100 where !groupIsGone { usleep(10_000) }
    }

    /// The last 16 KiB of the server's output.
    func logTail(limit: Int = 16 << 10) -> String {
        guard let data = try? Data(contentsOf: logURL) else { return "" }
        let tail = data.suffix(limit)
        return (data.count > limit ? "[... \(data.count - limit) bytes earlier]\n" : "")
            + String(decoding: tail, as: UTF8.self)
    }
}

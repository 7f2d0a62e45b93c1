import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The tests' one way to start a program: a child process started with posix_spawn, its stdout and stderr read on
/// threads of their own, reaped with waitpid and ended by its PID.
///
/// The child's signal mask and dispositions are reset (a test runner may block SIGTERM and SIGCHLD, which its
/// children would otherwise inherit, so they could not be signalled), and a test never waits on Foundation's
/// SIGCHLD handling. With ``Input/pipe`` the child's stdin is a pipe held open until ``stop(grace:)``: servers that
/// exit at EOF on stdin go away even when the test process dies without stopping them.
public final class ChildProcess: @unchecked Sendable {
    /// What the child reads on stdin.
    public enum Input: Sendable {
        /// `/dev/null`.
        case null
        /// A pipe the parent holds open until ``ChildProcess/stop(grace:)`` or ``ChildProcess/kill()``.
        case pipe
    }

    /// A child that could not be started, or ran past its time.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The child's process id.
    public let pid: pid_t
    private let stdoutReader: PipeReader
    private let stderrReader: PipeReader
    private let lock = NSLock()
    private var status: Int32?
    private var stdinWriter: Int32?

    /// Starts `argv` (looked up on PATH) with `environment`, in `directory` when given.
    public init(
        _ argv: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String? = nil,
        input: Input = .null
    ) throws {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        var inPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw Failure(description: "pipe failed") }
        if input == .pipe {
            guard pipe(&inPipe) == 0 else { throw Failure(description: "pipe failed") }
        }
        // No end may leak into children started meanwhile: one holding another's stdout open would keep its reader
        // waiting, one holding a stdin open would keep a server from seeing EOF. (The child's 0, 1, 2 are dup2'd
        // copies, which do not inherit the flag.)
        for fd in outPipe + errPipe + inPipe where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input == .pipe {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_addclose(&actions, inPipe[0])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGCHLD, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // `env -C` changes directory (posix_spawn_file_actions_addchdir_np is not in this libc's headers).
        let argv = directory.map { ["/usr/bin/env", "-C", $0] + argv } ?? argv
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        close(outPipe[1])
        close(errPipe[1])
        if input == .pipe { close(inPipe[0]) }
        guard result == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            if input == .pipe { close(inPipe[1]) }
            throw Failure(description: "could not start \(argv[0]): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        stdinWriter = input == .pipe ? inPipe[1] : nil
        stdoutReader = PipeReader(fd: outPipe[0])
        stderrReader = PipeReader(fd: errPipe[0])
    }

    deinit {
        if let stdinWriter { close(stdinWriter) }
    }

    /// The exit status if the child has exited (128 + the signal when a signal ended it), reaping it; nil while it
    /// runs.
    public var exitStatus: Int32? {
        lock.withLock { reap(blocking: false) }
    }

    /// Whether the child is still running.
    public var isRunning: Bool { exitStatus == nil }

    private func reap(blocking: Bool) -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, blocking ? 0 : WNOHANG) == pid else { return nil }
        let code: Int32 = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        status = code
        return code
    }

    /// Waits for the exit status, killing the child after `timeout` seconds.
    @discardableResult
    public func wait(timeout: Double) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = exitStatus { return status }
            if Date() > deadline {
                kill()
                throw Failure(description: "process \(pid) ran past \(timeout) s and was killed")
            }
            usleep(10_000)
        }
    }

    /// ``wait(timeout:)`` without blocking a thread: polls with `Task.sleep`, so tests that wait for a child (for a
    /// whole CLI run) leave the cooperative pool (two threads on two cores) to the in-process servers.
    @discardableResult
    public func finished(timeout: Double) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = exitStatus { return status }
            if Date() > deadline {
                kill()
                throw Failure(description: "process \(pid) ran past \(timeout) s and was killed")
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Sends `signal` to the child (unless it was reaped already).
    public func signal(_ signal: Int32) {
        lock.withLock {
            guard status == nil else { return }
            _ = Glibc.kill(pid, signal)
        }
    }

    /// Closes the child's stdin (when it is a pipe): servers that watch it exit.
    public func closeInput() {
        lock.withLock {
            if let stdinWriter { close(stdinWriter) }
            stdinWriter = nil
        }
    }

    /// Sends SIGKILL and reaps.
    public func kill() {
        closeInput()
        lock.withLock {
            guard status == nil else { return }
            _ = Glibc.kill(pid, SIGKILL)
            _ = reap(blocking: true)
        }
    }

    /// Ends the child gracefully: closes its stdin, sends SIGTERM, and SIGKILL if it is still there after `grace`
    /// seconds; reaps it.
    /// Returns at once: the wait for the exit (and the SIGKILL) happen on a thread of its own, so a test's `defer`
    /// never holds one of the cooperative pool's threads (two on two cores) that in-process servers run on.
    public func stop(grace: Double = 2) {
        closeInput()
        guard isRunning else { return }
        signal(SIGTERM)
        Thread.detachNewThread {
            let deadline = Date().addingTimeInterval(grace)
            while self.isRunning && Date() < deadline { usleep(10_000) }
            self.kill()
        }
    }

    /// Everything the child wrote to stdout (waits for the pipe to close).
    public var stdout: String { stdoutReader.text() }
    /// Everything the child wrote to stderr (waits for the pipe to close).
    public var stderr: String { stderrReader.text() }
    /// What the child wrote to stdout so far.
    public var stdoutSoFar: String { stdoutReader.textSoFar() }
    /// What the child wrote to stderr so far.
    public var stderrSoFar: String { stderrReader.textSoFar() }

    /// The first line the child wrote to stdout, waiting up to `timeout` seconds (nil if none came).
    public func firstLine(timeout: Double) -> String? { stdoutReader.firstLine(timeout: timeout) }
}

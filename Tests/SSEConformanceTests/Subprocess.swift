import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn, with its signal mask and dispositions reset (a test runner may
/// block SIGTERM and SIGCHLD, which its children would otherwise inherit) and reaped with waitpid, so a test
/// never waits on Foundation's SIGCHLD handling.
final class Subprocess: @unchecked Sendable {
    let pid: pid_t
    private let stdoutReader: PipeReader
    private let stderrReader: PipeReader
    private var status: Int32?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(
        _ argv: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String? = nil
    ) throws {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw Failure(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
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
        guard result == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw Failure(description: "could not start \(argv[0]): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        stdoutReader = PipeReader(fd: outPipe[0])
        stderrReader = PipeReader(fd: errPipe[0])
    }

    /// Waits for the exit status, killing the child after `timeout` seconds.
    @discardableResult
    func wait(timeout: Double) throws -> Int32 {
        if let status { return status }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                let code: Int32 = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
                status = code
                return code
            }
            if Date() > deadline {
                Glibc.kill(pid, SIGKILL)
                _ = waitpid(pid, &raw, 0)
                throw Failure(description: "process \(pid) ran past \(timeout) s and was killed")
            }
            usleep(10_000)
        }
    }

    /// Sends SIGKILL and reaps.
    func kill() {
        guard status == nil else { return }
        Glibc.kill(pid, SIGKILL)
        _ = try? wait(timeout: 5)
    }

    /// Everything the child wrote to stdout (waits for the pipe to close).
    var stdout: String { stdoutReader.text() }
    /// Everything the child wrote to stderr.
    var stderr: String { stderrReader.text() }

    /// The first line the child wrote to stdout, waiting up to `timeout` seconds.
    func firstLine(timeout: Double) -> String? { stdoutReader.firstLine(timeout: timeout) }
}

/// Reads a pipe on its own thread until it closes.
final class PipeReader: @unchecked Sendable {
    private let lock = NSCondition()
    private var data = Data()
    private var closed = false

    init(fd: Int32) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fd, &buffer, buffer.count)
                lock.lock()
                if count <= 0 {
                    closed = true
                    lock.broadcast()
                    lock.unlock()
                    break
                }
                data.append(contentsOf: buffer[0..<count])
                lock.broadcast()
                lock.unlock()
            }
            close(fd)
        }
    }

    func text() -> String {
        lock.lock()
        while !closed { lock.wait() }
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    func firstLine(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let newline = data.firstIndex(of: 0x0A) { return String(decoding: data[..<newline], as: UTF8.self) }
            if closed || !lock.wait(until: deadline) { return nil }
        }
    }
}

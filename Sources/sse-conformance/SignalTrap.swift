import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM during a run: the first one calls the handler (which stops the run, so the reports are
/// written and the started server stopped); a second one kills the started server's process group and exits at
/// once with the signal's exit code (128 + the signal number).
final class SignalTrap: @unchecked Sendable {
    private struct State {
        var count = 0
        var serverGroup: pid_t?
    }

    private let state = Mutex(State())
    /// Set in `init` only.
    private var sources: [any DispatchSourceSignal] = []

    /// The exit code of a run ended by `signal`: 130 for SIGINT, 143 for SIGTERM.
    static func exitCode(_ signal: Int32) -> Int32 { 128 + signal }

    /// The signal's name.
    static func name(_ signal: Int32) -> String {
        signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
    }

    /// Starts trapping SIGINT and SIGTERM; `first` gets the first one.
    init(first: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                let (count, group) = state.withLock { s -> (Int, pid_t?) in
                    s.count += 1
                    return (s.count, s.serverGroup)
                }
                if count == 1 {
                    first(number)
                } else {
                    if let group { kill(-group, SIGKILL) }
                    let line = "sse-conformance: \(Self.name(number)) again: exiting at once\n"
                    _ = line.withCString { write(2, $0, strlen($0)) }
                    _exit(Self.exitCode(number))
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The process group a second signal must kill before exiting (the `--serve-command` server).
    func guardServerGroup(_ group: pid_t?) {
        state.withLock { $0.serverGroup = group }
    }
}

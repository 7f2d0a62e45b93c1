import CCurl
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's one libcurl multi handle, driven by one dedicated thread.
///
/// Other threads never touch libcurl handles that the engine owns: they queue commands (start, cancel, pause,
/// resume) under a lock and wake the thread with `curl_multi_wakeup`. libcurl's callbacks, and so every
/// `TransferDelegate` method, run on the engine thread.
///
/// `@unchecked Sendable`: the multi handle is only used by the engine thread, except `curl_multi_wakeup`, which
/// libcurl documents as callable from any thread; the command queue is behind a `Mutex`.
final class TransferEngine: @unchecked Sendable {
    /// The engine every `EventSource` uses.
    static let shared = TransferEngine()

    private enum Command {
        case start(Transfer)
        case cancel(Transfer)
        case pause(Transfer)
        case resume(Transfer)
    }

    private struct Shared: ~Copyable {
        var commands: [Command] = []
    }

    private let multi: UnsafeMutableRawPointer
    private let queue = Mutex(Shared())
    /// The engine thread's own state; only the engine thread touches it.
    private let loop: LoopState

    private init() {
        let code = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        precondition(code == CURLE_OK, "curl_global_init failed: \(code)")
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed") }
        self.multi = multi
        // Multiplexing on the multi handle lets HTTP/2 clients share a connection; a client that must have its own
        // connection asks for a fresh one, which libcurl then never reuses.
        _ = sse_multi_setopt_long(multi, CURLMOPT_PIPELINING, SSE_CURLPIPE_MULTIPLEX)
        _ = sse_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
        self.loop = LoopState()
        let unmanaged = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let result = pthread_create(
            &thread,
            nil,
            { argument in
                let engine = Unmanaged<TransferEngine>.fromOpaque(argument!).takeRetainedValue()
                engine.run()
                return nil
            },
            unmanaged.toOpaque()
        )
        precondition(result == 0, "could not start the transfer engine thread: \(result)")
        pthread_detach(thread)
    }

    /// Starts a transfer. The delegate hears about it until `transferDidComplete`.
    func start(_ transfer: Transfer) { send(.start(transfer)) }
    /// Aborts a transfer at once; its delegate completes with `.cancelled`. No effect once it is finished.
    func cancel(_ transfer: Transfer) { send(.cancel(transfer)) }
    /// Stops reading the transfer's response (`curl_easy_pause`).
    func pause(_ transfer: Transfer) { send(.pause(transfer)) }
    /// Reads the transfer's response again, delivering anything libcurl held back.
    func resume(_ transfer: Transfer) { send(.resume(transfer)) }

    private func send(_ command: Command) {
        queue.withLock { $0.commands.append(command) }
        curl_multi_wakeup(multi)
    }

    private final class LoopState: @unchecked Sendable {
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        var withIdleTimeout = 0
    }

    private func run() {
        var running: Int32 = 0
        while true {
            let commands = queue.withLock { shared in
                let taken = shared.commands
                shared.commands.removeAll(keepingCapacity: true)
                return taken
            }
            for command in commands { apply(command) }
            curl_multi_perform(multi, &running)
            collectFinished()
            if loop.withIdleTimeout > 0 { enforceIdleTimeouts() }
            let timeout: Int32 = loop.withIdleTimeout > 0 ? 100 : 1000
            curl_multi_poll(multi, nil, 0, timeout, nil)
        }
    }

    private func apply(_ command: Command) {
        switch command {
        case .start(let transfer):
            guard !transfer.finished else { return }  // cancelled before it started
            if let message = transfer.configurationError {
                finish(transfer, .setupFailed(message: message), removing: false)
                return
            }
            transfer.lastActivity = .now
            let code = curl_multi_add_handle(multi, transfer.easy)
            guard code == CURLM_OK else {
                let message = String(cString: curl_multi_strerror(code))
                finish(transfer, .setupFailed(message: "curl_multi_add_handle: \(message)"), removing: false)
                return
            }
            loop.active[transfer.easy] = transfer
            if transfer.idleTimeout != nil { loop.withIdleTimeout += 1 }
        case .cancel(let transfer):
            guard loop.active[transfer.easy] === transfer else {
                // Not started yet in this batch order, or already finished: make sure it never starts.
                if !transfer.finished { finish(transfer, .cancelled, removing: false) }
                return
            }
            finish(transfer, .cancelled, removing: true)
        case .pause(let transfer):
            guard loop.active[transfer.easy] === transfer else { return }
            transfer.paused = true
            curl_easy_pause(transfer.easy, SSE_CURLPAUSE_RECV)
        case .resume(let transfer):
            guard loop.active[transfer.easy] === transfer else { return }
            transfer.paused = false
            transfer.lastActivity = .now
            // May call the write callback at once with the data libcurl held back.
            curl_easy_pause(transfer.easy, SSE_CURLPAUSE_CONT)
        }
    }

    private func collectFinished() {
        var pending: Int32 = 0
        while let message = curl_multi_info_read(multi, &pending) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = loop.active[easy]
            else { continue }
            let code = message.pointee.data.result
            var text = String(cString: transfer.errorBuffer)
            if text.isEmpty { text = String(cString: curl_easy_strerror(code)) }
            finish(transfer, .curl(code: Int(code.rawValue), message: text), removing: true)
        }
    }

    private func enforceIdleTimeouts() {
        let now = ContinuousClock.now
        var expired: [Transfer] = []
        for transfer in loop.active.values {
            guard let idle = transfer.idleTimeout, !transfer.paused else { continue }
            if now - transfer.lastActivity >= idle { expired.append(transfer) }
        }
        for transfer in expired { finish(transfer, .idleTimeout, removing: true) }
    }

    private func finish(_ transfer: Transfer, _ reason: TransferCompletion.Reason, removing: Bool) {
        guard !transfer.finished else { return }
        transfer.finished = true
        let completion = transfer.completion(reason, at: .now)
        if removing {
            curl_multi_remove_handle(multi, transfer.easy)
            loop.active[transfer.easy] = nil
            if transfer.idleTimeout != nil { loop.withIdleTimeout -= 1 }
        }
        transfer.delegate.transferDidComplete(completion)
    }
}

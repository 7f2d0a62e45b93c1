import Synchronization

/// The engine delegate of one `fetch`: reads the response heads, keeps the body of the last one, and resumes the
/// caller once with the response or the reason there is none.
final class FetchCollector: TransferDelegate, Sendable {
    private struct State: ~Copyable {
        /// The head being received.
        var head: ResponseHead?
        /// The last complete head (a redirect's, until the final one arrives).
        var final: ResponseHead?
        var body: [UInt8] = []
        var tooLarge = false
        var outcome: Result<FetchResponse, any Error>?
        var continuation: CheckedContinuation<Result<FetchResponse, any Error>, Never>?
    }

    private let timeout: Duration
    private let maxBodyBytes: Int
    private let state = Mutex(State())

    init(timeout: Duration, maxBodyBytes: Int) {
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// Registers the caller; resumes it at once if the transfer already ended.
    func onComplete(_ continuation: CheckedContinuation<Result<FetchResponse, any Error>, Never>) {
        let ended = state.withLock { s -> Result<FetchResponse, any Error>? in
            if let outcome = s.outcome { return outcome }
            s.continuation = continuation
            return nil
        }
        if let ended { continuation.resume(returning: ended) }
    }

    func transferDidSendHeaders(_ text: UnsafeRawBufferPointer) {}

    func transferDidReceiveHeaderLine(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) -> Bool {
        var line = String(decoding: bytes, as: UTF8.self)
        while let last = line.last, last == "\n" || last == "\r" || last == "\r\n" { line.removeLast() }
        state.withLock { s in
            guard s.head != nil else {
                // A status line starts a new head (after a redirect or a 1xx); anything else here is a trailer.
                if line.hasPrefix("HTTP/") {
                    s.head = ResponseHead(statusLine: line, receivedAt: time)
                    s.body = []
                }
                return
            }
            if line.isEmpty {
                s.final = s.head
                s.head = nil
            } else if let first = line.first, first == " " || first == "\t", let index = s.head!.headers.indices.last {
                s.head!.headers[index].value += " " + line.trimmingHTTPWhitespace()
            } else if let field = HTTPHeaderField(line: line[...]) {
                s.head!.headers.append(field)
            }
        }
        return true
    }

    func transferDidReceiveBody(_ chunk: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) -> BodyDisposition {
        state.withLock { s in
            guard s.body.count + chunk.count <= maxBodyBytes else {
                s.tooLarge = true
                return .abort
            }
            s.body += chunk
            return .consumed
        }
    }

    func transferDidComplete(_ completion: TransferCompletion) {
        typealias Resumption = (
            CheckedContinuation<Result<FetchResponse, any Error>, Never>?, Result<FetchResponse, any Error>
        )
        let (continuation, result) = state.withLock { s -> Resumption in
            let result = outcome(of: completion.reason, head: s.final, body: s.body, tooLarge: s.tooLarge)
            s.outcome = result
            let continuation = s.continuation
            s.continuation = nil
            return (continuation, result)
        }
        continuation?.resume(returning: result)
    }

    private func outcome(
        of reason: TransferCompletion.Reason,
        head: ResponseHead?,
        body: [UInt8],
        tooLarge: Bool
    ) -> Result<FetchResponse, any Error> {
        switch reason {
        case .curl(let code, let message):
            if tooLarge { return .failure(FetchError.bodyTooLarge(limit: maxBodyBytes)) }
            if code == 28 { return .failure(FetchError.timedOut(after: timeout)) }  // CURLE_OPERATION_TIMEDOUT
            guard code == 0 else { return .failure(FetchError.connectionFailed(curlCode: code, message: message)) }
            guard let head else {
                return .failure(FetchError.connectionFailed(curlCode: code, message: "no response head"))
            }
            return .success(FetchResponse(head: head, body: body))
        case .cancelled: return .failure(CancellationError())
        case .idleTimeout: return .failure(FetchError.timedOut(after: timeout))
        case .setupFailed(let message): return .failure(FetchError.transportSetup(message))
        }
    }
}

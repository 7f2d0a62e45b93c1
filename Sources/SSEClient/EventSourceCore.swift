import ServerSentEvents
import Synchronization

/// The state machine behind `EventSource`: a driver task that runs attempts one after another, and the engine
/// callbacks of the current attempt. All mutable state is behind one lock; events are yielded outside it.
final class EventSourceCore: TransferDelegate, Sendable {
    private enum Outcome: Sendable {
        case closedByUser
        case failed(EventSourceError)
        case lost(EventSourceError)
    }

    private struct State: ~Copyable {
        var parser: EventStreamParser
        var readyState: EventSource.ReadyState = .connecting
        var closed = false
        var finished = false
        var transfer: Transfer?
        var completion: CheckedContinuation<Outcome, Never>?
        var driver: Task<Void, Never>?
        var attempt: Transcript.Attempt?
        var attempts: BoundedLog<Transcript.Attempt>
        var attemptCount = 0
        // The head being received, and what the current attempt decided.
        var head: ResponseHead?
        var opened = false
        var rejection: EventSourceError?
        var resumed = false
        // Backpressure (`maxPendingEvents`): events yielded and not yet read, and whether that paused reading.
        var pending = 0
        var pausedForBacklog = false
    }

    let url: String
    let configuration: EventSource.Configuration
    private let engine: TransferEngine
    private let continuation: AsyncStream<EventSource.Event>.Continuation
    private let state: Mutex<State>

    init(
        url: String,
        configuration: EventSource.Configuration,
        continuation: AsyncStream<EventSource.Event>.Continuation,
        engine: TransferEngine = .shared
    ) {
        self.url = url
        self.configuration = configuration
        self.continuation = continuation
        self.engine = engine
        var parserConfiguration = configuration.parser
        parserConfiguration.recordsObservations = configuration.transcript.recordsObservations
        let parser = EventStreamParser(configuration: parserConfiguration, lastEventId: configuration.lastEventId)
        self.state = Mutex(State(parser: parser, attempts: BoundedLog(limit: configuration.transcript.maxAttempts)))
    }

    func start() {
        let task = Task { await self.run() }
        state.withLock { $0.driver = task }
    }

    // MARK: Public surface

    func close() {
        let (transfer, driver) = state.withLock { s -> (Transfer?, Task<Void, Never>?) in
            if s.closed { return (nil, nil) }
            s.closed = true
            return (s.transfer, s.driver)
        }
        if let transfer { engine.cancel(transfer) }
        driver?.cancel()
    }

    func pause() {
        if let transfer = state.withLock({ $0.transfer }) { engine.pause(transfer) }
    }

    func resume() {
        let transfer = state.withLock { s -> Transfer? in
            s.resumed = true
            return s.transfer
        }
        if let transfer { engine.resume(transfer) }
    }

    /// Hands an event to the consumer, counting it as pending until it is read.
    private func emit(_ event: EventSource.Event) {
        state.withLock { $0.pending += 1 }
        continuation.yield(event)
    }

    /// The consumer read one event: once the backlog is down to half the limit, read the response again.
    func consumed() {
        let transfer = state.withLock { s -> Transfer? in
            s.pending -= 1
            guard s.pausedForBacklog, let limit = configuration.maxPendingEvents, s.pending <= limit / 2 else {
                return nil
            }
            s.pausedForBacklog = false
            return s.transfer
        }
        if let transfer { engine.resume(transfer) }
    }

    var readyState: EventSource.ReadyState { state.withLock { $0.readyState } }
    var lastEventId: String { state.withLock { $0.parser.lastEventId } }

    var transcript: Transcript {
        state.withLock { s in
            var attempts = s.attempts.elements
            if let current = s.attempt { attempts.append(current) }
            return Transcript(attempts: attempts, droppedAttempts: s.attempts.droppedCount)
        }
    }

    // MARK: Driver

    private func run() async {
        var reconnections = 0
        while true {
            let outcome = await attempt()
            switch outcome {
            case .closedByUser:
                finish(nil)
                return
            case .failed(let error):
                finish(error)
                return
            case .lost(let error):
                emit(.error(error))
                if let limit = configuration.maxReconnections, reconnections >= limit {
                    finish(.reconnectionLimit(reconnections))
                    return
                }
                reconnections += 1
                let delay = state.withLock { s in
                    s.parser.reconnectionTime.map { Duration.milliseconds($0) } ?? configuration.initialReconnectionTime
                }
                try? await Task.sleep(for: delay)
            }
        }
    }

    private func finish(_ reason: EventSourceError?) {
        state.withLock { s in
            s.readyState = .closed
            s.finished = true
            s.driver = nil
        }
        emit(.closed(reason))
        continuation.finish()
    }

    /// Runs one attempt to its end.
    private func attempt() async -> Outcome {
        await withCheckedContinuation { (completion: CheckedContinuation<Outcome, Never>) in
            let transfer = state.withLock { s -> Transfer? in
                guard !s.closed else { return nil }
                let lastEventId = s.parser.lastEventId
                let request = makeRequest(lastEventId: lastEventId)
                let transfer = Transfer(request: request, delegate: self)
                s.readyState = .connecting
                s.transfer = transfer
                s.completion = completion
                s.head = nil
                s.opened = false
                s.rejection = nil
                s.resumed = false
                s.attempt = Transcript.Attempt(
                    number: s.attemptCount,
                    url: url,
                    startedAt: .now,
                    lastEventIdSent: lastEventId.isEmpty ? nil : lastEventId,
                    chunkLog: BoundedLog(limit: configuration.transcript.maxBodyBytes),
                    observationLog: BoundedLog(limit: configuration.transcript.maxObservations)
                )
                s.attemptCount += 1
                return transfer
            }
            if let transfer {
                engine.start(transfer)
            } else {
                completion.resume(returning: .closedByUser)
            }
        }
    }

    private func redacted(_ field: HTTPHeaderField) -> HTTPHeaderField {
        guard let redact = configuration.transcript.redact else { return field }
        return HTTPHeaderField(name: field.name, value: redact(field.name, field.value))
    }

    /// A received field as the transcript records it.
    private func recorded(_ field: HTTPHeaderField) -> HTTPHeaderField {
        configuration.transcript.redactsResponseHeads ? redacted(field) : field
    }

    /// A received head as the transcript records it (the source acts on the head as received).
    private func recorded(_ head: ResponseHead) -> ResponseHead {
        guard configuration.transcript.redactsResponseHeads, configuration.transcript.redact != nil else { return head }
        var copy = head
        copy.headers = head.headers.map(redacted)
        return copy
    }

    // MARK: Engine callbacks (engine thread)

    func transferDidSendHeaders(_ text: UnsafeRawBufferPointer) {
        let lines = String(decoding: text, as: UTF8.self).split(omittingEmptySubsequences: true) {
            $0 == "\r\n" || $0 == "\n"
        }
        guard let requestLine = lines.first else { return }
        let fields = lines.dropFirst().compactMap { HTTPHeaderField(line: $0) }.map(redacted)
        state.withLock { s in
            s.attempt?.requests.append(.init(requestLine: String(requestLine), headers: fields))
        }
    }

    func transferDidReceiveHeaderLine(_ bytes: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) -> Bool {
        var line = String(decoding: bytes, as: UTF8.self)
        while let last = line.last, last == "\n" || last == "\r" || last == "\r\n" { line.removeLast() }
        var rejectedTransfer: Transfer?
        let (keepGoing, opened) = state.withLock { s -> (Bool, ResponseHead?) in
            if s.opened {
                // After the head of an open stream: trailers.
                if let field = HTTPHeaderField(line: line[...]) { s.attempt?.trailers.append(recorded(field)) }
                return (true, nil)
            }
            if s.head == nil {
                if line.isEmpty { return (true, nil) }
                s.head = ResponseHead(statusLine: line, receivedAt: time)
                return (true, nil)
            }
            if !line.isEmpty {
                if let first = line.first, first == " " || first == "\t", let index = s.head!.headers.indices.last {
                    // An obsolete folded line continues the previous field.
                    s.head!.headers[index].value += " " + line.trimmingHTTPWhitespace()
                } else if let field = HTTPHeaderField(line: line[...]) {
                    s.head!.headers.append(field)
                }
                return (true, nil)
            }
            // The blank line: the head is complete.
            let head = s.head!
            s.head = nil
            s.attempt?.responses.append(recorded(head))
            if head.status >= 100 && head.status < 200 { return (true, nil) }
            let redirectsSoFar = s.attempt?.responses.dropLast().count { $0.status >= 300 && $0.status < 400 } ?? 0
            if isFollowedRedirect(head, redirectsSoFar: redirectsSoFar) {
                return (true, nil)
            }
            if head.opensEventStream {
                s.opened = true
                s.attempt?.opened = true
                s.readyState = .open
                return (true, head)
            }
            // "If res's status is not 200, or if res's Content-Type is not text/event-stream, then fail the
            // connection."
            s.rejection =
                head.status != 200
                ? .badStatus(head.status, statusLine: head.statusLine) : .badContentType(head.mediaType)
            // The source has failed, but the first bytes of the body (a login page, "not found"...) go into the
            // transcript: read on for at most `rejectedBodyBytes` or `rejectedBodyWait`, then abort.
            // A redirect libcurl would follow but we do not (a 303 to a custom method: see `Transfer`) is aborted.
            guard configuration.transcript.rejectedBodyBytes > 0, !isRefusedSeeOther(head) else { return (false, nil) }
            rejectedTransfer = s.transfer
            return (true, nil)
        }
        if let opened { emit(.open(opened)) }
        if let rejectedTransfer {
            let wait = configuration.transcript.rejectedBodyWait
            Task { [engine] in
                try? await Task.sleep(for: wait)
                engine.cancel(rejectedTransfer)
            }
        }
        return keepGoing
    }

    /// Whether libcurl will follow this response: a 3xx other than 304 with a `Location`, within the limit.
    private func isFollowedRedirect(_ head: ResponseHead, redirectsSoFar: Int) -> Bool {
        guard head.status >= 300 && head.status < 400 && head.status != 304 else { return false }
        guard head.headers.last(named: "location") != nil else { return false }
        guard !isRefusedSeeOther(head) else { return false }
        return redirectsSoFar < configuration.maxRedirects
    }

    /// A 303 answering a method other than GET or POST: fetch would follow it with a GET, libcurl with the same
    /// method, so it is not followed (the attempt fails with the 303).
    private func isRefusedSeeOther(_ head: ResponseHead) -> Bool {
        head.status == 303 && head.headers.last(named: "location") != nil
            && !Transfer.followsSeeOtherLikeFetch(method: configuration.method)
    }

    func transferDidReceiveBody(_ chunk: UnsafeRawBufferPointer, at time: ContinuousClock.Instant) -> BodyDisposition {
        var outputs: [EventSource.Event] = []
        let disposition = state.withLock { s -> BodyDisposition in
            // The body of a failed response is not the stream, but its first bytes are kept (never parsed).
            if s.rejection != nil, !s.closed {
                let offset = s.attempt?.bodyBytes ?? 0
                let room = configuration.transcript.rejectedBodyBytes - offset
                guard room > 0 else { return .abort }
                let kept = UnsafeRawBufferPointer(rebasing: chunk.prefix(room))
                s.attempt?.chunkLog.append(
                    Transcript.Chunk(offset: offset, count: kept.count, receivedAt: time, bytes: Array(kept)),
                    weight: kept.count
                )
                s.attempt?.bodyBytes += kept.count
                return kept.count < chunk.count ? .abort : .consumed
            }
            // The body of a redirect is not the stream.
            guard s.opened, !s.closed else { return .consumed }
            let offset = s.attempt?.bodyBytes ?? 0
            if let limit = configuration.pauseAfterBytes, !s.resumed, offset >= limit { return .pause }
            if let limit = configuration.maxPendingEvents, s.pending >= limit {
                s.pausedForBacklog = true
                return .pause
            }
            let bytes = configuration.transcript.recordsBody ? Array(chunk) : []
            s.attempt?.chunkLog.append(
                Transcript.Chunk(offset: offset, count: chunk.count, receivedAt: time, bytes: bytes),
                weight: chunk.count
            )
            s.attempt?.bodyBytes += chunk.count
            s.parser.parse(chunk) { output in
                switch output {
                case .event(let event): outputs.append(.message(event))
                case .error(let error): outputs.append(.error(.streamLimit(error)))
                }
            }
            // The parser holds back a line whose CR may still become CRLF until the next chunk says so.
            if configuration.transcript.recordsObservations {
                for observation in s.parser.takeObservations() {
                    s.attempt?.observationLog.append(observation, weight: 1)
                }
            }
            return .consumed
        }
        for output in outputs { emit(output) }
        return disposition
    }

    func transferDidComplete(_ completion: TransferCompletion) {
        let (resume, outcome) = state.withLock { s -> (CheckedContinuation<Outcome, Never>?, Outcome) in
            s.parser.finish()
            var attempt = s.attempt
            if configuration.transcript.recordsObservations {
                for observation in s.parser.takeObservations() {
                    attempt?.observationLog.append(observation, weight: 1)
                }
            }
            attempt?.endedAt = completion.time
            attempt?.httpVersion = completion.httpVersion
            attempt?.remoteAddress = completion.remoteAddress
            attempt?.localPort = completion.localPort
            let outcome: Outcome
            let ending: Transcript.Ending
            switch completion.reason {
            case .curl(let code, let message):
                attempt?.curlCode = code
                attempt?.curlMessage = message
                if let rejection = s.rejection {
                    ending = .rejected
                    attempt?.curlMessage = rejection.description
                    outcome = .failed(rejection)
                } else if code == 0 {
                    ending = s.opened ? .endOfBody : .truncated
                    outcome = .lost(s.opened ? .streamEnded : .connectionLost(curlCode: 0, message: "no stream"))
                } else {
                    ending = Self.ending(forCurlCode: code)
                    outcome = .lost(.connectionLost(curlCode: code, message: message))
                }
            case .cancelled where s.rejection != nil && !s.closed:
                // Our own abort after keeping the first bytes of a rejected response's body.
                ending = .rejected
                attempt?.curlMessage = s.rejection!.description
                outcome = .failed(s.rejection!)
            case .cancelled:
                ending = .abortedByClient
                attempt?.curlMessage = "aborted by the client"
                outcome = .closedByUser
            case .idleTimeout:
                ending = .timedOut
                attempt?.curlMessage = "no byte within the idle timeout"
                outcome = .lost(.idleTimeout)
            case .setupFailed(let message):
                ending = .setupFailed
                attempt?.curlMessage = message
                outcome = .failed(.transportSetup(message))
            }
            attempt?.ending = ending
            if let attempt { s.attempts.append(attempt, weight: 1) }
            s.attempt = nil
            s.transfer = nil
            s.opened = false
            s.readyState = .connecting
            let resume = s.completion
            s.completion = nil
            // A close() that raced with the end of the transfer still wins: never reconnect after it.
            if s.closed, case .lost = outcome { return (resume, .closedByUser) }
            return (resume, outcome)
        }
        resume?.resume(returning: outcome)
    }
}

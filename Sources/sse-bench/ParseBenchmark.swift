import ServerSentEvents

/// Parser throughput over a generated stream of ~100-byte JSON events.
struct ParseBenchmark {
    var size: Int
    var chunk: Int
    var rounds: Int
    /// Which paths to measure, in this order.
    var modes: [Mode] = Mode.allCases

    /// The parser's ways to run.
    enum Mode: String, CaseIterable {
        /// Observations off, `parse(_:events:errors:)`: every event a borrowed view, its data bytes summed.
        case views
        /// Observations off, `parse(_:_:)`: every event a `ServerSentEvent` (data, type and ID Strings).
        case strings
        /// Observations on, `parse(_:events:errors:)`, the observation log taken after every chunk and read (what
        /// the conformance checks' analysis takes, before it makes the Strings it keeps).
        case observations
        /// Observations on, `parse(_:_:)`, every observation taken as an `EventStreamObservation` (the Strings of
        /// every field, comment and event made).
        case values

        var label: String {
            switch self {
            case .views: "observations off, events as views    "
            case .strings: "observations off, events as Strings  "
            case .observations: "observations on, log taken, views    "
            case .values: "observations on, made into values    "
            }
        }
    }

    /// `data: {"id":N,"user":"user-N","value":0.N,"text":"..."}` then a blank line, padded to about 100 bytes.
    static func makeStream(size: Int) -> (bytes: [UInt8], events: Int) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + 128)
        var count = 0
        func append(_ number: Int) {
            if number >= 10 { append(number / 10) }
            bytes.append(UInt8(0x30 + number % 10))
        }
        while bytes.count < size {
            let n = count
            let start = bytes.count
            bytes.append(contentsOf: #"data: {"id":"#.utf8)
            append(n)
            bytes.append(contentsOf: #","user":"user-"#.utf8)
            append(n % 1000)
            bytes.append(contentsOf: #"","value":"#.utf8)
            append(n % 97)
            bytes.append(contentsOf: #".5,"text":"hello world"#.utf8)
            while bytes.count - start < 96 { bytes.append(UInt8(ascii: "x")) }
            bytes.append(contentsOf: "\"}\n\n".utf8)
            count += 1
        }
        return (bytes, count)
    }

    func run() {
        let (stream, expected) = Self.makeStream(size: size)
        let megabytes = Double(stream.count) / 1_000_000
        print(
            "parse: \(stream.count) bytes, \(expected) events of ~\(stream.count / expected) bytes, "
                + "chunks of \(chunk) bytes, best of \(rounds) rounds"
        )
        for mode in modes {
            var best = Duration.seconds(1_000)
            for _ in 0..<rounds {
                let (elapsed, dispatched) = measure(stream, mode: mode)
                precondition(dispatched == expected, "dispatched \(dispatched) events, expected \(expected)")
                best = min(best, elapsed)
            }
            let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18
            print(
                "  \(mode.label): \(format(megabytes / seconds)) MB/s, \(format(Double(expected) / seconds / 1e6)) M events/s"
                    + " (\(format(seconds * 1000)) ms)"
            )
        }
    }

    /// Not inlined, so that a profiler can count this alone: `valgrind --tool=callgrind --collect-atstart=no
    /// --toggle-collect='*ParseBenchmarkV7measure*ModeOtF'`.
    @inline(never)
    func measure(_ stream: [UInt8], mode: Mode) -> (Duration, Int) {
        var run = ParseRun(mode: mode)
        let clock = ContinuousClock()
        let start = clock.now
        stream.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(offset + chunk, all.count)
                run.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                offset = end
            }
        }
        let dispatched = run.finish()
        return (clock.now - start, dispatched)
    }

    func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return String(rounded)
    }
}

/// The parser in one of the benchmark's modes, fed chunk by chunk: what `parse` and `compare` both time.
struct ParseRun {
    let mode: ParseBenchmark.Mode
    var parser: EventStreamParser
    var counts = Counts()

    /// What the run has seen, so that nothing it is timed on is optimised away.
    struct Counts {
        var dispatched = 0
        var observations = 0
        var digest = ViewDigest()
    }

    init(mode: ParseBenchmark.Mode) {
        self.mode = mode
        parser = EventStreamParser(configuration: .init(recordsObservations: mode == .observations || mode == .values))
    }

    /// Parses one chunk: events as views (`views`, `observations`) or as `ServerSentEvent`s (`strings`, `values`);
    /// with observations on, takes them after the chunk, as the log (each record's tag and offset read) or as values.
    @inline(__always)
    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        Self.feed(bytes, mode: mode, parser: &parser, counts: &counts)
    }

    @inline(__always)
    private static func feed(
        _ bytes: UnsafeRawBufferPointer,
        mode: ParseBenchmark.Mode,
        parser: inout EventStreamParser,
        counts: inout Counts
    ) {
        switch mode {
        case .views, .observations:
            parser.parse(bytes) { event in
                counts.dispatched += 1
                counts.digest.add(event.data)
            } errors: { _ in
            }
            if mode == .observations { counts.observations += counts.digest.add(parser.takeObservationLog()) }
        case .strings, .values:
            parser.parse(bytes) { output in
                if case .event = output { counts.dispatched += 1 }
            }
            if mode == .values { counts.observations += parser.takeObservations().count }
        }
    }

    /// Ends the stream; returns the events dispatched. Stops if the mode's work was not done (no view read, no
    /// observation taken).
    mutating func finish() -> Int {
        parser.finish()
        precondition(!(mode == .views || mode == .observations) || counts.digest.bytes > 0)
        precondition(!(mode == .observations || mode == .values) || counts.observations > 0)
        return counts.dispatched
    }
}

/// What the view contenders do with each event's data, so that reading it is not optimised away: the total of
/// the data byte counts and a cheap checksum of each event's first and last bytes.
struct ViewDigest {
    var bytes = 0
    var checksum: UInt64 = 0

    @inline(__always)
    mutating func add(_ data: UnsafeRawBufferPointer) {
        bytes &+= data.count
        guard let first = data.first, let last = data.last else { return }
        checksum = checksum &* 31 &+ UInt64(first) &<< 8 &+ UInt64(last)
    }

    /// What the log contender does with each taken log, so that it is read: every observation's tag and offset,
    /// which is what the analysis reads first. Returns the number of observations.
    @inline(__always)
    mutating func add(_ log: EventStreamObservationLog) -> Int {
        for position in log.indices {
            checksum =
                checksum &+ UInt64(truncatingIfNeeded: log.offset(at: position))
                &+ UInt64(log.tag(at: position).rawValue)
        }
        return log.count
    }
}

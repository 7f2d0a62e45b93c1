/// How a stream's bytes arrived over time: grouped into releases (chunks that came together), each with the
/// silence before it and the events it completed. What a buffer between server and client leaves behind is
/// visible here: long silences, then many events at once, in blobs of a buffer's size, cutting events in two.
public struct ArrivalPattern: Sendable {
    /// Chunks that arrived within `togetherWithin` of each other.
    public struct Release: Sendable, Hashable {
        /// Arrival of the first and last chunk, in seconds since the request.
        public var start: Double
        public var end: Double
        /// Body offsets `[from, to)`.
        public var from: Int
        public var to: Int
        /// Silence before it: since the previous release, or since the request for the first one (a head held back
        /// with the first blob is part of the wait the client saw).
        public var silenceBefore: Double
        /// Events whose blank line is in it.
        public var eventsCompleted: Int
        /// Whether it ends inside an event: bytes of a block that had begun and had no blank line yet.
        public var endsMidEvent: Bool

        public var bytes: Int { to - from }
    }

    /// The releases, in arrival order.
    public var releases: [Release]
    /// Dispatch times of the events, in seconds since the request.
    public var dispatchTimes: [Double]

    /// Chunks closer together than this (seconds) are one release: a proxy's or compressor's blob arrives as a
    /// few TCP segments within a millisecond or two.
    public static let togetherWithin = 0.02

    public init(_ stream: StreamAnalysis) {
        let exchange = stream.exchange
        let blanks = stream.blocks.compactMap { $0.event != nil ? $0.blankLine : nil }
        dispatchTimes = blanks.compactMap { exchange.arrival(ofByte: $0) }
        // Offsets where a block begins and where it is complete: a release ends mid-event when a block began
        // before its end and its blank line lies after it.
        let spans = stream.blocks.map { ($0.start, $0.blankLine ?? Int.max) }
        var releases: [Release] = []
        var previousEnd = 0.0
        for chunk in exchange.chunks {
            let chunkEnd = chunk.offset + chunk.bytes.count
            if var last = releases.last, chunk.time - last.end <= Self.togetherWithin {
                last.end = chunk.time
                last.to = chunkEnd
                releases[releases.count - 1] = last
            } else {
                releases.append(
                    Release(
                        start: chunk.time,
                        end: chunk.time,
                        from: chunk.offset,
                        to: chunkEnd,
                        silenceBefore: max(0, chunk.time - previousEnd),
                        eventsCompleted: 0,
                        endsMidEvent: false
                    )
                )
            }
            previousEnd = chunk.time
        }
        for index in releases.indices {
            let release = releases[index]
            releases[index].eventsCompleted = blanks.count { $0 >= release.from && $0 < release.to }
            releases[index].endsMidEvent = spans.contains { $0.0 < release.to && $0.1 >= release.to }
        }
        self.releases = releases
    }

    /// Releases that carried at least `events` complete events after at least `silence` seconds of nothing.
    public func bursts(events: Int = 3, silence: Double = 1.0) -> [Release] {
        releases.filter { $0.eventsCompleted >= events && $0.silenceBefore >= silence }
    }

    /// The release holding a byte offset.
    public func release(holding offset: Int) -> Release? {
        releases.first { offset >= $0.from && offset < $0.to }
    }
}

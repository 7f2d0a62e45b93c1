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
        dispatchTimes = stream.dispatchTimes
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
        // Blocks and blank lines are in body order, so each release's counts are two binary searches (a flooded
        // stream has tens of thousands of both). A release ends mid-event when the last block begun before its end
        // has its blank line after it (or none).
        let starts = stream.blocks.map(\.start)
        for index in releases.indices {
            let release = releases[index]
            releases[index].eventsCompleted =
                Self.firstIndex(in: blanks, notBelow: release.to) - Self.firstIndex(in: blanks, notBelow: release.from)
            let begun = Self.firstIndex(in: starts, notBelow: release.to)
            if begun > 0 {
                releases[index].endsMidEvent = (stream.blocks[begun - 1].blankLine ?? Int.max) >= release.to
            }
        }
        self.releases = releases
    }

    /// The index of the first element of the ascending `values` that is at least `bound`.
    static func firstIndex(in values: [Int], notBelow bound: Int) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) / 2
            if values[mid] < bound { low = mid + 1 } else { high = mid }
        }
        return low
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

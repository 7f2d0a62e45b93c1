/// Delivery latencies in microseconds, in 10 µs buckets up to 2 s (later ones are counted in the last bucket).
struct LatencyHistogram {
    private static let bucketWidth = 10
    private static let bucketCount = 200_000
    private var buckets = [Int](repeating: 0, count: LatencyHistogram.bucketCount)
    private(set) var count = 0

    mutating func record(microseconds: Int64) {
        let index = Swift.min(Swift.max(0, Int(microseconds) / Self.bucketWidth), Self.bucketCount - 1)
        buckets[index] += 1
        count += 1
    }

    mutating func reset() {
        for i in buckets.indices { buckets[i] = 0 }
        count = 0
    }

    /// The latency at or below which `fraction` of the samples lie, in milliseconds.
    func percentile(_ fraction: Double) -> Double {
        guard count > 0 else { return .nan }
        let target = Int((Double(count) * fraction).rounded(.up))
        var seen = 0
        for (index, n) in buckets.enumerated() where n > 0 {
            seen += n
            if seen >= target { return Double((index + 1) * Self.bucketWidth) / 1000 }
        }
        return Double(Self.bucketCount * Self.bucketWidth) / 1000
    }
}

/// Delivery latencies: 10 µs buckets up to 1 s, then 1 ms buckets up to 60 s (later ones in the last bucket).
struct LatencyHistogram {
    private static let fineCount = 100_000  // 10 µs each: 0 to 1 s
    private static let coarseCount = 59_000  // 1 ms each: 1 s to 60 s
    private var fine = [Int](repeating: 0, count: LatencyHistogram.fineCount)
    private var coarse = [Int](repeating: 0, count: LatencyHistogram.coarseCount)
    private(set) var count = 0

    mutating func record(microseconds: Int64) {
        let value = Swift.max(0, Int(microseconds))
        if value < 1_000_000 {
            fine[value / 10] += 1
        } else {
            coarse[Swift.min((value - 1_000_000) / 1000, Self.coarseCount - 1)] += 1
        }
        count += 1
    }

    mutating func reset() {
        for i in fine.indices { fine[i] = 0 }
        for i in coarse.indices { coarse[i] = 0 }
        count = 0
    }

    /// The latency at or below which `fraction` of the samples lie, in milliseconds (bucket upper bound).
    func percentile(_ fraction: Double) -> Double {
        guard count > 0 else { return .nan }
        let target = Int((Double(count) * fraction).rounded(.up))
        var seen = 0
        for (index, n) in fine.enumerated() where n > 0 {
            seen += n
            if seen >= target { return Double((index + 1) * 10) / 1000 }
        }
        for (index, n) in coarse.enumerated() where n > 0 {
            seen += n
            if seen >= target { return Double(1000 + index + 1) }
        }
        return 60_000
    }
}

/// A log that keeps its first and last entries within a weight limit and counts what it dropped in between.
///
/// The head fills up to half the limit; after that entries go to the tail, whose oldest entries are dropped
/// once it weighs more than the other half.
struct BoundedLog<Element: Sendable>: Sendable {
    let limit: Int
    private(set) var head: [Element] = []
    private var tail: [Element] = []
    private var tailStart = 0
    private var tailWeights: [Int] = []
    private var headWeight = 0
    private var tailWeight = 0
    private var headIsFull = false
    /// Entries dropped from the middle.
    private(set) var droppedCount = 0
    /// Their total weight.
    private(set) var droppedWeight = 0

    init(limit: Int) { self.limit = max(0, limit) }

    mutating func append(_ element: Element, weight: Int) {
        let half = limit / 2
        if !headIsFull {
            if headWeight + weight <= limit - half {
                head.append(element)
                headWeight += weight
                return
            }
            headIsFull = true
        }
        tail.append(element)
        tailWeights.append(weight)
        tailWeight += weight
        while tailWeight > half && tailStart < tail.count {
            tailWeight -= tailWeights[tailStart]
            droppedWeight += tailWeights[tailStart]
            droppedCount += 1
            tailStart += 1
        }
        if tailStart > 64 && tailStart * 2 > tail.count {
            tail.removeFirst(tailStart)
            tailWeights.removeFirst(tailStart)
            tailStart = 0
        }
    }

    /// The kept entries in order: the head, then the tail.
    var elements: [Element] { head + tail[tailStart...] }
}

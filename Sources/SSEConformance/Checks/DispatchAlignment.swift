import ServerSentEvents

/// Declared and dispatched events of one connection, lined up by an edit-script alignment on (type, data,
/// lastEventId), not by position: one lost event is one `lost` step, and the events after it still match up.
///
/// Costs: an exact match 0; a pair that differs in one or two of the three fields 1 or 2 (the same event,
/// delivered wrong: a per-aspect check judges it); a lost or an extra event 2 each. A pair that differs in every
/// field is never matched up. The alignment of least total cost wins; ties prefer matching up, then losing the
/// declared event before counting the dispatched one extra.
struct DispatchAlignment: Sendable, Hashable {
    enum Step: Sendable, Hashable {
        /// Declared event `declared` and dispatched event `actual` are the same event (`exact` when all three
        /// fields are equal).
        case match(declared: Int, actual: Int, exact: Bool)
        /// The declared event was never dispatched.
        case lost(declared: Int)
        /// A dispatched event that was not declared.
        case extra(actual: Int)
    }

    var steps: [Step]
    var cost: Int

    /// The matched-up pairs (declared index, dispatched index).
    var pairs: [(declared: Int, actual: Int)] {
        steps.compactMap { if case .match(let d, let a, _) = $0 { return (d, a) } else { return nil } }
    }
    var lost: [Int] { steps.compactMap { if case .lost(let d) = $0 { return d } else { return nil } } }
    var extra: [Int] { steps.compactMap { if case .extra(let a) = $0 { return a } else { return nil } } }
    /// Matched-up pairs that differ in some field.
    var differing: [(declared: Int, actual: Int)] {
        steps.compactMap {
            if case .match(let d, let a, false) = $0 { return (d, a) } else { return nil }
        }
    }
    var isExact: Bool { steps.allSatisfy { if case .match(_, _, true) = $0 { return true } else { return false } } }

    static let gapCost = 2

    /// Fields of the three that differ; 3 means the two are not the same event.
    static func distance(_ a: ServerSentEvent, _ b: ServerSentEvent) -> Int {
        (a.type == b.type ? 0 : 1) + (a.data == b.data ? 0 : 1) + (a.lastEventId == b.lastEventId ? 0 : 1)
    }

    /// Aligns `declared` with `actual`. With `freeTail` (a stream that never ends, where the declared list is
    /// only what comes first) dispatched events after the last declared one cost nothing and are not extra.
    init(declared: [ServerSentEvent], actual: [ServerSentEvent], freeTail: Bool = false) {
        let n = declared.count
        let m = actual.count
        let unreachable = Int.max / 4
        // cost[i][j]: aligning declared[i...] with actual[j...].
        var cost = Array(repeating: Array(repeating: unreachable, count: m + 1), count: n + 1)
        for i in stride(from: n, through: 0, by: -1) {
            for j in stride(from: m, through: 0, by: -1) {
                if i == n {
                    cost[i][j] = freeTail ? 0 : (m - j) * Self.gapCost
                    continue
                }
                var best = cost[i + 1][j] + Self.gapCost
                if j < m {
                    let d = Self.distance(declared[i], actual[j])
                    if d < 3 { best = min(best, cost[i + 1][j + 1] + d) }
                    best = min(best, cost[i][j + 1] + Self.gapCost)
                }
                cost[i][j] = best
            }
        }
        var steps: [Step] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i == n {
                if freeTail { break }
                steps.append(.extra(actual: j))
                j += 1
                continue
            }
            if j < m {
                let d = Self.distance(declared[i], actual[j])
                if d < 3 && cost[i][j] == cost[i + 1][j + 1] + d {
                    steps.append(.match(declared: i, actual: j, exact: d == 0))
                    i += 1
                    j += 1
                    continue
                }
            }
            if cost[i][j] == cost[i + 1][j] + Self.gapCost {
                steps.append(.lost(declared: i))
                i += 1
            } else {
                steps.append(.extra(actual: j))
                j += 1
            }
        }
        self.steps = steps
        self.cost = cost[0][0]
    }
}

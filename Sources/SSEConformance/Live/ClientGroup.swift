import SSEClient
import Synchronization

/// Concurrent clients held open together, as browsers hold their EventSources: none hangs up until every one has
/// what it waits for, or the window ends. A server that serves one stream at a time (one sync worker, one
/// subscriber) is then seen as it is: the clients after the first get nothing, because the first never leaves.
///
/// What a member waits for is the group's ``Goal``, which may change while they listen: clients started beside
/// the primary wait for `--events` events until the primary ends, then for what the primary got.
final class ClientGroup: Sendable {
    /// What each member waits for: this many events, or (a quiet stream of comments) its first body byte.
    struct Goal: Sendable, Hashable {
        var events: Int
        var bytes: Bool

        static func events(_ count: Int) -> Goal { Goal(events: count, bytes: false) }
        static let firstByte = Goal(events: .max, bytes: true)
    }

    /// Where the members stand, as seen when the primary ends (members whose stream opened, or that we stopped
    /// while they still waited for a head, are neither).
    private struct Standing {
        /// Members that ended without opening a stream: another status or media type, or a failed connection.
        var refused = 0
        /// Members still waiting for a response head.
        var waiting = 0
    }

    private struct Member {
        var source: EventSource?
        var stop: StopFlag?
        var events = 0
        var bodyBytes = 0
        var opened = false
        var ended = false
        var waitedOut = false
    }

    /// Whether what the group is worth is known yet.
    private enum Phase {
        /// Clients beside the primary, which is still listening.
        case beside
        /// Clients beside the primary that were queued when it ended: known when every member has ended.
        case queued
        case settled
    }

    private struct State {
        var members: [Int: Member] = [:]
        var done: Set<Int> = []
        var released = false
        var goal: Goal
        var windowEnd: ContinuousClock.Instant?
        var setAside = false
        var phase: Phase
    }

    let count: Int
    private let state: Mutex<State>

    /// `beside`: clients started beside the primary, whose worth is decided when it ends (``settleBeside``).
    init(count: Int, goal: Goal, beside: Bool = false) {
        self.count = count
        state = Mutex(State(goal: goal, phase: beside ? .beside : .settled))
    }

    /// Registers client `index`; a client joining after the group was released is closed at once.
    func join(_ index: Int, source: EventSource, stop: StopFlag) {
        let late = state.withLock { state -> Bool in
            state.members[index, default: Member()].source = source
            state.members[index, default: Member()].stop = stop
            return state.released
        }
        if late {
            stop.set()
            source.close()
        }
    }

    /// Client `index` opened an event stream.
    func opened(_ index: Int) {
        state.withLock { $0.members[index, default: Member()].opened = true }
    }

    /// Client `index` dispatched an event; it is there when it has the goal's count.
    func dispatched(_ index: Int) {
        let reached = state.withLock { state -> Bool in
            state.members[index, default: Member()].events += 1
            return state.members[index]!.events >= state.goal.events
        }
        if reached { done(index) }
    }

    /// Client `index` has `bytes` body bytes so far; with a first-byte goal it is there at its first.
    func received(_ index: Int, bytes: Int) {
        let reached = state.withLock { state -> Bool in
            state.members[index, default: Member()].bodyBytes = bytes
            return state.goal.bytes && bytes > 0
        }
        if reached { done(index) }
    }

    /// Changes what every member waits for; members that already have it are there at once.
    func setGoal(_ goal: Goal) {
        let there = state.withLock { state -> [Int] in
            state.goal = goal
            return state.members.filter { _, member in
                member.events >= goal.events || (goal.bytes && member.bodyBytes > 0)
            }.map(\.key)
        }
        for index in there { done(index) }
    }

    /// When the members stop listening if they have not all got what they wait for; nil: each member's own
    /// window from its start.
    var windowEnd: ContinuousClock.Instant? { state.withLock { $0.windowEnd } }

    /// Lets every member listen until `end` at least.
    func extendWindow(until end: ContinuousClock.Instant) {
        state.withLock { $0.windowEnd = max($0.windowEnd ?? end, end) }
    }

    /// True once the group was set aside: its members are closed and their exchanges not used.
    var isSetAside: Bool { state.withLock { $0.setAside } }

    /// True once what the group is worth is known (clients beside the primary: when it ended, or for queued
    /// ones when they all have).
    var isSettled: Bool { state.withLock { $0.phase == .settled } }

    /// Decides, as the primary ends, what clients beside it are worth (see LiveProbes+Beside.swift): set aside
    /// when one was refused or the primary got nothing; queued when one still waits for a head (then set aside
    /// too if one is refused before they all end); side by side otherwise.
    func settleBeside(primaryGotBytes: Bool) -> BesideOutcome {
        state.withLock { state in
            let standing = Self.standing(state, count: count)
            if !primaryGotBytes || standing.refused > 0 {
                state.setAside = true
                state.phase = .settled
                return .discarded
            }
            if standing.waiting > 0 {
                state.phase = .queued
                return .queued
            }
            state.phase = .settled
            return .overlapping
        }
    }

    private static func standing(_ state: State, count: Int) -> Standing {
        var standing = Standing()
        for index in 0..<count {
            let member = state.members[index] ?? Member()
            if member.opened || member.waitedOut { continue }
            if member.ended {
                standing.refused += 1
            } else {
                standing.waiting += 1
            }
        }
        return standing
    }

    /// Client `index` stopped listening (its stream ended, failed, or the group let it go); `waitedOut`: we
    /// stopped it while it still waited for a response head.
    func ended(_ index: Int, waitedOut: Bool) {
        state.withLock { state in
            state.members[index, default: Member()].ended = true
            state.members[index, default: Member()].waitedOut = waitedOut
            // Queued clients beside the primary are known when the last one ends: worthless if one was refused.
            if state.phase == .queued, (0..<count).allSatisfy({ state.members[$0]?.ended == true }) {
                if Self.standing(state, count: count).refused > 0 { state.setAside = true }
                state.phase = .settled
            }
        }
        done(index)
    }

    /// Client `index` has what it waited for (or its stream ended); when every client is there, all are closed.
    func done(_ index: Int) {
        let release = state.withLock { state -> [Member] in
            state.done.insert(index)
            guard !state.released, state.done.count >= count else { return [] }
            state.released = true
            return Array(state.members.values)
        }
        for member in release {
            member.stop?.set()
            member.source?.close()
        }
    }
}

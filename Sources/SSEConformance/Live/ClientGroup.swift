import SSEClient
import Synchronization

/// Concurrent clients held open together, as browsers hold their EventSources: none hangs up until every one has
/// what it waits for, or the window ends. A server that serves one stream at a time (one sync worker, one
/// subscriber) is then seen as it is: the clients after the first get nothing, because the first never leaves.
final class ClientGroup: Sendable {
    private struct State {
        var members: [Int: (source: EventSource, stop: StopFlag)] = [:]
        var done: Set<Int> = []
        var released = false
    }

    let count: Int
    private let state = Mutex(State())

    init(count: Int) { self.count = count }

    /// Registers client `index`; a client joining after the group was released is closed at once.
    func join(_ index: Int, source: EventSource, stop: StopFlag) {
        let late = state.withLock { state -> Bool in
            state.members[index] = (source, stop)
            return state.released
        }
        if late {
            stop.set()
            source.close()
        }
    }

    /// Client `index` has what it waited for (or its stream ended); when every client is there, all are closed.
    func done(_ index: Int) {
        let release = state.withLock { state -> [(source: EventSource, stop: StopFlag)] in
            state.done.insert(index)
            guard !state.released, state.done.count >= count else { return [] }
            state.released = true
            return Array(state.members.values)
        }
        for member in release {
            member.stop.set()
            member.source.close()
        }
    }
}

/// The concurrent clients started beside the primary: a passive run against a slow stream (one event a second,
/// as NestJS's sample sends) would otherwise listen for the clients' events after the primary's, doubling the
/// time. They start when the primary's stream opens (a refused primary gets no company), wait for `--events`
/// events until the primary ends, then for what the primary got, as clients started after it would.
///
/// Where the primary ends decides what they are worth:
/// - every client has its stream: the target serves them side by side; they are the concurrent clients, and the
///   reconnection runs beside them (three clients and a reconnection: as many streams as before, primary and
///   three clients);
/// - some client still waits for a response head (a server that serves one stream at a time, or a proxy that
///   holds heads back): they stay, held open as browsers hold theirs, with their window extended to `--listen`
///   from now (the window they would have had if started after the primary), and the reconnection waits until
///   they are done, so it does not queue behind them; if one of them is refused after all (the server counted
///   the primary a moment longer), they are set aside as below;
/// - some client was refused (a cap on streams, say) or the primary got nothing: they are closed and forgotten,
///   and the clients are made after the reconnection as if they had never been tried, with the primary closed,
///   so four streams at once are never held against a target that serves three.
enum BesideOutcome: Sendable, Hashable {
    case overlapping
    case queued
    case discarded
}

extension LiveProbes {
    /// Starts the concurrent clients beside the primary (called when its stream opens), if the checks will ask
    /// for them and the primary has not ended yet.
    func startClientsBeside() {
        guard expected.concurrentClients, let target = configuration.target, besideClients == nil,
            besideOutcome == nil, primaryEnded == nil, clientsTask == nil
        else { return }
        let members = ClientGroup(count: configuration.clients, goal: .events(configuration.events), beside: true)
        let task = Task { await self.hold(members, url: target, passive: true) }
        besideClients = (members, task)
    }

    /// Decides, as the primary ends, what the clients beside it are worth, and tells them what to wait for.
    func settleClientsBeside(after primary: Listened) {
        guard let beside = besideClients else {
            besideOutcome = .discarded
            return
        }
        let outcome = beside.group.settleBeside(primaryGotBytes: !primary.exchange.chunks.isEmpty)
        besideOutcome = outcome
        switch outcome {
        case .discarded:
            beside.task.cancel()
            return
        case .queued:
            // Queued clients get the window they would have had if they had started now: the first of them may
            // only now be let in, and must have time to be served.
            beside.group.extendWindow(until: clock.now + .milliseconds(Int(configuration.listen * 1000)))
        case .overlapping:
            break
        }
        let events = primary.eventCount
        beside.group.setGoal(events > 0 ? .events(min(events, configuration.events)) : .firstByte)
    }

    /// The clients beside the primary once they are done, or nil if they were set aside (then the clients are
    /// made after the reconnection, as if they had never been tried).
    func clientsBeside() async -> [Exchange]? {
        guard let beside = besideClients, besideOutcome != .discarded else { return nil }
        let exchanges = await beside.task.value
        return beside.group.isSetAside ? nil : exchanges
    }

    /// Opens `members.count` clients held open together for the whole window, as browsers hold their
    /// EventSources, and returns their exchanges in order.
    func hold(_ members: ClientGroup, url: String, passive: Bool) async -> [Exchange] {
        let count = members.count
        return await withTaskGroup(of: (Int, Exchange).self) { group in
            for index in 0..<count {
                group.addTask {
                    (
                        index,
                        await self.listen(
                            url: url,
                            label: "client \(index + 1) of \(count)",
                            lastEventId: nil,
                            maxEvents: .max,
                            maxSeconds: self.configuration.listen,
                            group: (members, index),
                            sendsTargetRequest: passive
                        ).exchange
                    )
                }
            }
            var exchanges = [Exchange?](repeating: nil, count: count)
            for await (index, exchange) in group { exchanges[index] = exchange }
            return exchanges.map { $0! }
        }
    }
}

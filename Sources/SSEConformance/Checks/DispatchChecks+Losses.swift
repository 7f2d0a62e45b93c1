import SSEScenarios
import ServerSentEvents

/// dispatch/expected-sequence's account of lost events: what the server wrote for each (a block with no data
/// line, or nothing), and why, where NestJS's rules say (NestModel): falsy data writes no data line; a number or
/// boolean as data ends the stream.
extension Catalogue {
    static let falsyDataCause = "NestJS writes no data line for falsy data: send a non-empty string or an object"
    static let scalarDataCause = "NestJS ends the stream when data is a number or boolean: send a string or an object"

    /// One lost declared event, as reported.
    struct Loss: Equatable {
        var declared: Int
        var data: String
        /// The block the server wrote for it (escaped), nil when nothing was written.
        var written: String?
        var cause: String?
    }

    /// The lost events of connection `index`, grouped where consecutive losses share what was written and why:
    /// `events 1-4 (data "", "0", "false", "null"): written as "id: 1\n\n", ... with no data line: <cause>`.
    static func lossClauses(
        _ run: ScenarioRun,
        index: Int,
        declared: [ServerSentEvent],
        lost: [Int],
        analysis: StreamAnalysis
    ) -> String {
        let fates = nestFates(run.scenario, index: index, declaredCount: declared.count)
        var unused = analysis.blocks.filter { block in
            block.blankLine != nil && block.event == nil && !block.fields.contains { $0.name == "data" }
        }
        var losses: [Loss] = []
        for position in lost {
            let event = declared[position]
            var written: String?
            if let at = unused.firstIndex(where: { block in
                block.fields.last { $0.name == "id" }?.value == event.lastEventId
            }) {
                let block = unused.remove(at: at)
                let end = (block.blankLine ?? block.lastLineEnd) + 1
                written = TranscriptText.escape(
                    analysis.exchange.body[block.start..<min(end, analysis.exchange.body.count)]
                )
            }
            var cause: String?
            switch fates?[position] {
            case .noLine? where written != nil: cause = falsyDataCause
            case .endsStream? where written == nil: cause = scalarDataCause
            case .afterEnd(let at)? where written == nil: cause = "the stream had ended at event \(at + 1)"
            default: cause = nil
            }
            losses.append(Loss(declared: position, data: event.data, written: written, cause: cause))
        }
        // Consecutive losses with the same kind of bytes and the same cause form one clause.
        var groups: [[Loss]] = []
        for loss in losses {
            if let last = groups.last?.last, last.declared + 1 == loss.declared, last.cause == loss.cause,
                (last.written == nil) == (loss.written == nil)
            {
                groups[groups.count - 1].append(loss)
            } else {
                groups.append([loss])
            }
        }
        return groups.map { group in
            let first = group[0].declared + 1
            let last = group[group.count - 1].declared + 1
            let which = first == last ? "event \(first)" : "events \(first)-\(last)"
            let data =
                group.prefix(6).map { $0.data.debugDescription }.joined(separator: ", ")
                + (group.count > 6 ? ", ..." : "")
            var clause = "\(which) (data \(data)): "
            let written = group.compactMap(\.written)
            clause +=
                written.isEmpty
                ? "not in the stream"
                : "written as \(written.prefix(4).joined(separator: ", "))\(written.count > 4 ? ", ..." : "") with no data line"
            if let cause = group[0].cause { clause += ": \(cause)" }
            return clause
        }.joined(separator: "; ")
    }

    /// What NestJS does with each declared dispatch of connection `index`.
    enum NestFate: Equatable {
        /// Written with its data: dispatched.
        case dispatched
        /// Written with no data line (falsy data).
        case noLine
        /// A number or boolean as data: the stream ends here.
        case endsStream
        /// Never written: the stream ended at the declared event given.
        case afterEnd(Int)
    }

    /// NestJS's fate of each declared dispatch, when the declared dispatches are one per event with data (then the
    /// error event); nil when they cannot be tied to the events.
    static func nestFates(_ scenario: Scenario, index: Int, declaredCount: Int) -> [NestFate]? {
        guard let events = connectionEvents(scenario, index: index) else { return nil }
        var dispatching = events.filter { $0.data != nil }
        if case .error(let message) = scenario.end { dispatching.append(MessageEvent(data: .string(message))) }
        guard dispatching.count == declaredCount else { return nil }
        let model = NestModel()
        var endedAt: Int?
        return dispatching.enumerated().map { position, event in
            if let endedAt { return .afterEnd(endedAt) }
            switch model.dataFate(event.data) {
            case .lines: return .dispatched
            case .noLine: return .noLine
            case .endsStream:
                endedAt = position
                return .endsStream
            }
        }
    }
}

/// Reconnection on a fetch-style request: re-sent with `Last-Event-ID` as fetch-event-source does, or not at all
/// once the answer is complete (see ``FetchStyleRule/reconnection``).
extension Catalogue {
    /// The skip of a reconnection check when the fetch-style primary stream ended by itself after its answer; nil
    /// when the reconnection is judged (GET runs, scenario-only runs, a fetch-style stream we had to stop or that
    /// broke).
    static func fetchStyleSkip(_ context: CheckContext) async throws -> Verdict? {
        guard context.configuration.isFetchStyle, let primary = try await context.primary() else { return nil }
        return context.configuration.resendRefusal(after: primary.exchange).map { .notApplicable(reason: $0) }
    }

    /// The verdict with what a fetch-style reconnection re-sent added to its evidence (GET runs: unchanged).
    static func notingResend(_ verdict: Verdict, _ reconnection: Exchange, context: CheckContext) -> Verdict {
        guard context.modes.contains(.passive), let note = context.configuration.resendNote(reconnection) else {
            return verdict
        }
        func noted(_ evidence: Evidence) -> Evidence {
            var evidence = evidence
            evidence.summary = evidence.summary.isEmpty ? note : evidence.summary + "; " + note
            return evidence
        }
        switch verdict {
        case .held(let evidence): return .held(evidence: noted(evidence))
        case .broken(let expected, let actual, let evidence):
            return .broken(expected: expected, actual: actual, evidence: noted(evidence))
        case .harnessError(let reason, let evidence): return .harnessError(reason: reason, evidence: noted(evidence))
        case .observed(let text, let evidence): return .observed(note: text, evidence: noted(evidence))
        case .notApplicable(let reason): return .notApplicable(reason: reason + " (" + note + ")")
        }
    }
}

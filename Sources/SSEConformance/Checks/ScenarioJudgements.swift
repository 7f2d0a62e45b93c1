// Scenario judgements: filled in when the scenario manifest lands (issue 4).
extension Catalogue {
    static let dispatch: [Check] = []
    static func judgeResume(_ run: ScenarioRun, context: CheckContext) -> Verdict { .notApplicable(reason: "scenarios pending") }
    static func judgePacing(_ run: ScenarioRun, context: CheckContext) -> Verdict? { nil }
    static func judgeStopScenario(_ context: CheckContext) async throws -> Verdict { .notApplicable(reason: "scenarios pending") }
    static func judgeDeclaredIds(_ context: CheckContext) async throws -> Verdict { .notApplicable(reason: "scenarios pending") }
    static func judgeObjectData(_ context: CheckContext) async throws -> Verdict { .notApplicable(reason: "scenarios pending") }
    static func judgeWireIdentical(_ context: CheckContext) async throws -> Verdict { .notApplicable(reason: "scenarios pending") }
    static func judgeErrorEvent(_ context: CheckContext) async throws -> Verdict { .notApplicable(reason: "scenarios pending") }
}

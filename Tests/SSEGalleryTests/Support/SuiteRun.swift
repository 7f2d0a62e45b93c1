import Foundation
import SSEConformance
import Testing

/// One run of the conformance suite against a server, in process, as `sse-conformance` would make it; the same
/// probes judged twice: as given, and under `--strict` (probes are made once and cached, so the strict pass costs
/// nothing and sees exactly the same wire).
struct SuiteRun: Sendable {
    var configuration: RunConfiguration
    var results: [CheckResult]
    var strictResults: [CheckResult]
    var seconds: Double
    /// The probes both passes judged (cached: asking them again costs nothing and shows the same wire).
    var probes: LiveProbes? = nil

    subscript(id: String) -> CheckResult? { results.first { $0.id == id } }
    func strict(_ id: String) -> CheckResult? { strictResults.first { $0.id == id } }

    /// Runs the suite. `target` is the passive stream URL, `scenarios` the scenario base URL (either may be nil).
    static func run(
        target: String?,
        scenarios: String?,
        profile: Profile,
        origin: String? = nil,
        clients: Int = 3,
        tweak: (inout RunConfiguration) -> Void = { _ in }
    ) async -> SuiteRun {
        var configuration = RunConfiguration(target: target, scenariosBase: scenarios)
        configuration.profile = profile
        configuration.events = 5
        configuration.listen = 3
        configuration.checkTimeout = 20
        configuration.deadline = 60
        configuration.clients = clients
        configuration.origin = origin
        configuration.runToken = "gallery-\(UUID())"
        tweak(&configuration)
        let clock = ContinuousClock()
        let started = clock.now
        let checks = Catalogue.select(profile: configuration.profile, modes: configuration.modes)
        let probes = LiveProbes(configuration: configuration)
        let results = await Runner(configuration: configuration, checks: checks).run(probes: probes)
        var strict = configuration
        strict.strict = true
        let strictResults = await Runner(configuration: strict, checks: checks).run(probes: probes)
        let elapsed = clock.now - started
        return SuiteRun(
            configuration: configuration,
            results: results,
            strictResults: strictResults,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            probes: probes
        )
    }

    /// One line per check that did not pass, for failure messages.
    var summary: String {
        results.filter { $0.status != .pass }.map { result in
            var line = "\(result.status.rawValue.uppercased()) \(result.id)"
            if !result.expected.isEmpty { line += "\n    expected: \(result.expected)\n    actual:   \(result.actual)" }
            if !result.message.isEmpty { line += "\n    message:  \(result.message)" }
            if result.status == .fail || result.status == .error, !result.evidence.summary.isEmpty {
                line += "\n    evidence: \(result.evidence.summary)"
            }
            return line
        }.joined(separator: "\n")
    }

    /// Asserts no check failed or errored, and that exactly `warnings` warned (each with its reason given by the
    /// caller). Skips are allowed (opt-in checks, behaviour the stream never showed).
    func expectConformant(warnings allowed: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) {
        for result in results {
            switch result.status {
            case .fail, .error:
                Issue.record(
                    "\(result.id) \(result.status.rawValue) on a conformant server\n\(summary)",
                    sourceLocation: sourceLocation
                )
            case .warn where allowed[result.id] == nil:
                Issue.record("\(result.id) warned on a conformant server\n\(summary)", sourceLocation: sourceLocation)
            default:
                break
            }
        }
        for (id, _) in allowed {
            #expect(self[id]?.status == .warn, "\(id) was expected to warn\n\(summary)", sourceLocation: sourceLocation)
        }
    }
}

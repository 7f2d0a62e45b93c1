import Testing

@testable import SSEConformance

/// Issue 16: a run makes only the probes its selected checks need; framing judges the streams the run opens anyway.
@Suite("probe selection")
struct ProbeSelectionTests {
    /// Fake probes that note which probes were asked for.
    actor Asked {
        var names: Set<String> = []
        func note(_ name: String) { names.insert(name) }
    }

    struct Recording: Probes {
        let base: FakeProbes
        let asked: Asked
        func primary() async throws -> Exchange {
            await asked.note("primary")
            return try await base.primary()
        }
        func reconnection() async throws -> Exchange {
            await asked.note("reconnection")
            return try await base.reconnection()
        }
        func concurrentClients() async throws -> [Exchange] {
            await asked.note("clients")
            return try await base.concurrentClients()
        }
        func scenarioRuns() async throws -> [ScenarioRun] {
            await asked.note("scenarios")
            return try await base.scenarioRuns()
        }
        func abortRelease() async throws -> AbortReleaseProbe {
            await asked.note("abort")
            return try await base.abortRelease()
        }
    }

    /// Runs the checks `only` selects in a passive run whose reconnection and clients hold invalid UTF-8.
    static func run(only: [String]) async -> (results: [CheckResult], asked: Set<String>) {
        let broken = Wire.bytes([(0, Array("data: ".utf8) + [0xFF] + Array("\n\n".utf8))], label: "other")
        let probes = Recording(
            base: FakeProbes(primaryExchange: Wire.goodPrimary, reconnectionExchange: broken, clients: [broken]),
            asked: Asked()
        )
        let configuration = RunConfiguration(target: "http://127.0.0.1:9/sse")
        let checks = Catalogue.select(profile: .spec, modes: configuration.modes, only: only)
        let results = await Runner(configuration: configuration, checks: checks).run(probes: probes)
        return (results, await probes.asked.names)
    }

    @Test func onlyFramingMakesNeitherTheReconnectionNorTheClients() async {
        let (results, asked) = await Self.run(only: ["framing"])
        #expect(!results.isEmpty)
        #expect(asked == ["primary"])
        #expect(results.first { $0.id == "framing/utf8" }?.status == .pass)
    }

    @Test func framingJudgesTheReconnectionAndClientsWhenTheRunMakesThem() async {
        let (results, asked) = await Self.run(only: [
            "framing/utf8", "reconnect/served-again", "delivery/concurrent-clients",
        ])
        #expect(asked.isSuperset(of: ["primary", "reconnection", "clients"]))
        #expect(results.first { $0.id == "framing/utf8" }?.status == .fail)
    }

    @Test func selectionFollowsTheChecks() {
        #expect(StreamProbeSelection(checks: Catalogue.select(profile: .spec, modes: [.passive])) == .all)
        let framing = StreamProbeSelection(
            checks: Catalogue.select(profile: .spec, modes: [.passive], only: ["framing"])
        )
        #expect(framing == StreamProbeSelection(reconnection: false, concurrentClients: false))
    }
}

import Foundation
import SSETestSupport
import Testing

/// `sse-conformance scenarios`: the manifest the binary carries, as the adapters read it.
struct ScenariosCommandTests {
    @Test("scenarios --json prints fixtures/scenarios/manifest.json byte for byte")
    func jsonIsTheManifest() async throws {
        let result = try await CLI.run(["scenarios", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try Data(contentsOf: RepositoryFiles.url("fixtures/scenarios/manifest.json"))
        #expect(Data(result.stdout.utf8) == manifest, "scenarios --json differs from fixtures/scenarios/manifest.json")
        #expect(result.stderr.isEmpty)
    }

    @Test("scenarios prints a summary of every scenario; its help names the command to save the JSON")
    func summaryAndHelpMatchGolden() async throws {
        let summary = try await CLI.run(["scenarios"])
        #expect(summary.status == 0, "\(summary.stderr)")
        try ReporterTests.golden("../cli/scenarios.txt", summary.stdout)
        let help = try await CLI.run(["scenarios", "--help"])
        #expect(help.status == 0)
        try ReporterTests.golden("../cli/help-scenarios.txt", help.stdout)
        #expect(help.stdout.contains("sse-conformance scenarios --json > manifest.json"))
    }

    @Test("The run's own --json <path> still works next to scenarios --json; a bad scenarios flag is a usage error")
    func jsonFlagsDoNotCollide() async throws {
        let bogus = try await CLI.run(["scenarios", "--bogus"])
        #expect(bogus.status == 2)
        #expect(bogus.stderr.contains("sse-conformance scenarios"), "\(bogus.stderr)")
        let missing = try await CLI.run(["--only", "http/status-ok", "--json"])
        #expect(missing.status == 2, "the run's --json needs a path: \(missing.stderr)")
    }

    @Test("list points to the scenarios command, not to a repository path")
    func listPointsToTheCommand() async throws {
        let list = try await CLI.run(["list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("sse-conformance scenarios"))
        #expect(!list.stdout.contains("fixtures/scenarios"))
    }
}

import Foundation
import Testing

/// The command line's shape (issue 14): `list` filtered and as JSON, subcommands that refuse a run's options,
/// selections that cannot run, a bare URL as the target.
@Suite(.serialized)
struct CLIUsageTests {
    @Test func listHonoursOnlyAndSkip() async throws {
        let result = try await CLI.run(["list", "--only", "framing/*", "--skip", "framing/utf8"])
        #expect(result.status == 0, "\(result.stderr)")
        let ids = result.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") && $0.contains("/") }
            .filter { !$0.contains(" checks.") }
        #expect(!ids.isEmpty)
        #expect(ids.allSatisfy { $0.hasPrefix("framing/") }, "\(ids)")
        #expect(!ids.contains("framing/utf8"))
        #expect(ids.contains("framing/terminated-before-close"))
        #expect(result.stdout.contains("\(ids.count) of "))
    }

    @Test func listJSONIsTheCatalogueWithTheQuotedRule() async throws {
        let result = try await CLI.run(["list", "--json", "--only", "http"])
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        )
        #expect(!entries.isEmpty)
        #expect(entries.allSatisfy { ($0["id"] as? String)?.hasPrefix("http/") == true })
        let status = try #require(entries.first { $0["id"] as? String == "http/status-ok" })
        #expect(status["level"] as? String == "MUST")
        #expect(status["modes"] as? [String] == ["passive", "scenarios"])
        #expect(status["profile"] as? String == "spec")
        let rule = try #require(status["rule"] as? [String: Any])
        // The WHATWG HTML standard, 9.2.3: the sentence the check enforces.
        #expect((rule["sentence"] as? String)?.contains("if res's status is not 200") == true)
        #expect(
            rule["url"] as? String
                == "https://html.spec.whatwg.org/multipage/server-sent-events.html#sse-processing-model"
        )
        let all = try await CLI.run(["list", "--json"])
        let every = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
        let plain = try await CLI.run(["list"]).stdout
        #expect(plain.contains("\(every.count) checks."))
    }

    @Test(arguments: [
        (["serve", "--only", "framing"], "--only"), (["serve", "--target", "http://x/"], "--target"),
        (["list", "--json", "x"], "\"x\""), (["list", "--listen", "3"], "--listen"),
        (["--only", "http", "list"], "--only http"),
    ])
    func subcommandsRefuseWhatTheyDoNotTake(_ arguments: [String], _ named: String) async throws {
        let result = try await CLI.run(arguments, timeout: 30)
        #expect(result.status == 2, "\(arguments): \(result.stdout)")
        #expect(result.stderr.contains("Error:"), "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(named), "\(arguments) should name \(named): \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(arguments) printed: \(result.stdout)")
    }

    @Test func onlyScenarioChecksWithoutScenariosIsAUsageErrorNamingScenarios() async throws {
        let started = Date()
        // Port 1: nothing answers; a usage error must come before any connection is tried.
        let result = try await CLI.run(["--target", "http://127.0.0.1:1/sse", "--only", "dispatch/*"], timeout: 30)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--scenarios"), "\(result.stderr)")
        #expect(!result.stderr.contains("could not test"), "it connected: \(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 20)
        let nest = try await CLI.run(["--target", "http://127.0.0.1:1/sse", "--only", "nest/headers"], timeout: 30)
        #expect(nest.status == 2)
        #expect(nest.stderr.contains("--profile nestjs"), "\(nest.stderr)")
    }

    @Test func aBareURLIsTheTarget() async throws {
        let result = try await CLI.run(["http://127.0.0.1:1/sse", "--junit", Self.scratch("junit.xml")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("could not test http://127.0.0.1:1/sse"), "\(result.stderr)")
        let both = try await CLI.run(["http://127.0.0.1:1/a", "--target", "http://127.0.0.1:1/b"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("both name the target"), "\(both.stderr)")
        let word = try await CLI.run(["lsit"])
        #expect(word.status == 2)
        #expect(word.stderr.contains("lsit"), "\(word.stderr)")
    }

    @Test(arguments: [
        (["--scenarios", "http://127.0.0.1:1/", "--dump"], "--dump"),
        (["--no-color", "--color", "always"], "--no-color and --color always"),
    ])
    func contradictoryOutputOptionsAreUsageErrors(_ arguments: [String], _ named: String) async throws {
        let result = try await CLI.run(arguments, timeout: 30)
        #expect(result.status == 2)
        #expect(result.stderr.contains(named), "\(result.stderr)")
        #expect(!result.stderr.contains("could not test"), "it connected: \(result.stderr)")
    }

    static func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())").appendingPathComponent(name)
            .path
    }
}

import Foundation
import SSETestSupport
import ServerSentEvents
import Testing

extension GalleryTests.AdapterTests {
    static let nestAdapter = adapters.appendingPathComponent("nestjs")
    static let debianNodeModules = "/usr/share/nodejs"

    /// Runs `argv` in the NestJS adapter's folder; returns status, stdout and stderr.
    static func runInNestAdapter(
        _ argv: [String],
        environment extra: [String: String] = [:],
        timeout: Double = 180
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        let process = try ChildProcess(argv, environment: environment, directory: nestAdapter.path)
        let status = try await process.finished(timeout: timeout)
        return (status, process.stdout, process.stderr)
    }

    /// Compiles the adapter with Debian's tsc into a temporary folder (nothing is written into the tree) and returns
    /// that folder; fails, naming the Debian packages, when tsc or rxjs is missing.
    static func compiledNestAdapter() async throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tsc") else {
            throw Missing(description: "tsc not found: run scripts/bootstrap (Debian package node-typescript)")
        }
        guard FileManager.default.fileExists(atPath: "\(debianNodeModules)/rxjs/package.json") else {
            throw Missing(description: "rxjs not found in \(debianNodeModules): run scripts/bootstrap (node-inquirer)")
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("nest-adapter-\(UUID())")
        let tsc = try await runInNestAdapter(["tsc", "-p", "tsconfig.debian.json", "--outDir", out.path])
        #expect(tsc.status == 0, "tsc failed:\n\(tsc.stdout)\(tsc.stderr)")
        #expect(tsc.stdout.isEmpty && tsc.stderr.isEmpty, "tsc reported:\n\(tsc.stdout)\(tsc.stderr)")
        if tsc.status != 0 { throw Missing(description: "the NestJS adapter does not compile") }
        return out
    }

    @Test("The NestJS module compiles with Debian's tsc and its Observable logic and glue pass node --test")
    func nestCompilesAndPassesNodeTests() async throws {
        let dist = try await Self.compiledNestAdapter()
        defer { try? FileManager.default.removeItem(at: dist) }
        let tests = try await Self.runInNestAdapter(
            ["node", "--test", "test/scenarios.test.js", "test/module.test.js"],
            environment: [
                "NODE_PATH": "test/fake-nest:\(Self.debianNodeModules)", "SSE_CONFORMANCE_NEST_DIST": dist.path,
            ]
        )
        #expect(tests.status == 0, "node --test failed:\n\(tests.stdout.suffix(6000))\(tests.stderr.suffix(2000))")
        // The counts from the runner's own summary: every test ran and passed, none was skipped.
        // 8 tests of the Observable logic and the manifest lookup, 2 of the glue.
        let summary = tests.stdout.split(separator: "\n")
            .filter { $0.hasPrefix("# ") && !$0.hasPrefix("# Subtest") }
            .joined(separator: "\n")
        #expect(summary.contains("# tests 10"), "\(summary)")
        #expect(summary.contains("# pass 10"), "\(summary)")
        #expect(summary.contains("# fail 0") && summary.contains("# skipped 0"), "\(summary)")
        print("nestjs adapter: node --test\n\(summary)")
    }

    /// What each Observable emits on a first connection, compared here with the manifest as Swift reads it: the
    /// events in order (member order too), then the declared ending.
    @Test("The NestJS module's Observables emit exactly each scenario's manifest events, and end as declared")
    func nestObservablesEmitTheManifestEvents() async throws {
        let dist = try await Self.compiledNestAdapter()
        defer { try? FileManager.default.removeItem(at: dist) }
        let emitted = try await Self.runInNestAdapter(
            ["node", "test/emit-events.js"],
            environment: ["NODE_PATH": Self.debianNodeModules, "SSE_CONFORMANCE_NEST_DIST": dist.path]
        )
        #expect(emitted.status == 0, "emit-events failed:\n\(emitted.stderr)")
        let manifestText = try String(
            contentsOf: RepositoryFiles.url("fixtures/scenarios/manifest.json"),
            encoding: .utf8
        )
        let manifest = try JSONValue(parsing: manifestText)
        let output = try JSONValue(parsing: emitted.stdout)
        guard case .array(let scenarios)? = manifest["scenarios"], case .array(let runs)? = output["scenarios"] else {
            Issue.record("no scenarios in the manifest or in emit-events' output:\n\(emitted.stdout.prefix(500))")
            return
        }
        #expect(runs.count == scenarios.count)
        for (scenario, run) in zip(scenarios, runs) {
            let name = scenario["name"]?.stringValue ?? "?"
            #expect(run["name"] == scenario["name"])
            guard case .array(let events)? = scenario["events"], case .array(let got)? = run["events"] else {
                Issue.record("\(name): no events")
                continue
            }
            let kind = scenario["end"]?["kind"]?.stringValue
            var expected: [JSONValue]
            if kind == "never" {
                expected = (0..<(events.count * 2 + 1)).map { events[$0 % events.count] }
            } else {
                expected = events
                if case .number(let per)? = scenario["perConnection"] { expected = Array(events.prefix(Int(per))) }
            }
            #expect(got == expected, "\(name): emitted\n\(got)\nmanifest\n\(expected)")
            if kind == "error", scenario["perConnection"] == nil {
                #expect(run["end"] == scenario["end"], "\(name): ended \(String(describing: run["end"]))")
            } else {
                #expect(run["end"]?["kind"]?.stringValue == "complete", "\(name)")
            }
        }
    }
}

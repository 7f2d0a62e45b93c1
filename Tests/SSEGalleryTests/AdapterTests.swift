import Foundation
import SSEConformance
import SSETestSupport
import Testing

extension GalleryTests {
    /// The scenario adapters under fixtures/scenarios/adapters/, each mounted in a real app and checked by the whole
    /// suite in scenario mode (DESIGN.md, "Scenario adapters").
    @Suite("Scenario adapters")
    struct AdapterTests {
        static let adapters = RepositoryFiles.url("fixtures/scenarios/adapters")

        struct Missing: Error, CustomStringConvertible {
            var description: String
        }

        /// The example Express app mounting the router at `prefix` (Debian's node-express).
        static func express(prefix: String) async throws -> ServerProcess {
            guard FileManager.default.fileExists(atPath: "/usr/share/nodejs/express/package.json") else {
                throw Missing(
                    description: "node module express not found: run scripts/bootstrap (Debian package node-express)"
                )
            }
            var environment = ProcessInfo.processInfo.environment
            environment["NODE_PATH"] = "/usr/share/nodejs:/usr/lib/nodejs"
            environment["PREFIX"] = prefix
            environment.removeValue(forKey: "SSE_CONFORMANCE_MANIFEST")
            let directory = adapters.appendingPathComponent("express")
            return try await ServerProcess.start(
                name: "express adapter",
                ["node", directory.appendingPathComponent("example_app.js").path],
                directory: directory,
                environment: environment
            )
        }

        /// The whole suite in scenario mode under `spec`: nothing failed, errored or warned, and the abort released
        /// its producer; the run takes under 20 s.
        static func expectPasses(base: String, name: String) async {
            let run = await SuiteRun.run(target: nil, scenarios: base, profile: .spec)
            run.expectConformant()
            #expect(run["close/client-abort-releases"]?.status == .pass, "\(name)\n\(run.summary)")
            #expect(run["dispatch/expected-sequence"]?.status == .pass, "\(name)\n\(run.summary)")
            #expect(run.seconds < 20, "\(name): the scenario run took \(run.seconds) s")
            print("adapter \(name): scenario run \(String(format: "%.1f", run.seconds)) s, \(run.results.count) checks")
        }

        @Test("The Express router, mounted at /sse-conformance, passes the suite in scenario mode")
        func express() async throws {
            let app = try await Self.express(prefix: "/sse-conformance")
            defer { app.stop() }
            await Self.expectPasses(base: app.url("/sse-conformance/"), name: "express")
        }
    }
}

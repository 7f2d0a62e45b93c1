import Foundation
import SSEConformance
import SSETestSupport
import Testing

extension GalleryTests {
    /// Real SSE servers from PyPI (installed in .venv/ by scripts/python-peers): the suite must raise no false alarm
    /// against them. They frame with CRLF and send comment pings between events.
    @Suite("Third-party servers: sse-starlette and aiohttp-sse")
    struct ThirdParty {
        static let python = RepositoryFiles.url(".venv/bin/python").path

        /// Starts one of the peer apps in servers/, or fails the test (never skips) when the venv is missing.
        static func start(_ app: String) async throws -> ServerProcess {
            guard FileManager.default.isExecutableFile(atPath: python) else {
                throw PeersMissing()
            }
            return try await ServerProcess.start(
                name: app,
                [python, serversDirectory.appendingPathComponent("\(app).py").path],
                directory: serversDirectory
            )
        }

        struct PeersMissing: Error, CustomStringConvertible {
            var description: String {
                "\(ThirdParty.python) is missing: run scripts/bootstrap (or scripts/python-peers) to install sse-starlette, uvicorn, aiohttp and aiohttp-sse into .venv/"
            }
        }

        @Test(
            "A real third-party server passes",
            arguments: [
                ("starlette_app", "events"), ("starlette_app", "countdown"),
                ("aiohttp_app", "events"), ("aiohttp_app", "countdown"),
            ]
        )
        func peer(_ app: String, route: String) async throws {
            let server = try await Self.start(app)
            defer { server.stop() }
            let run = await SuiteRun.run(target: server.baseURL + route, scenarios: nil, profile: .spec)
            run.expectConformant()
            // The run really judged the stream: framing and delivery passed rather than skipped.
            for id in [
                "framing/line-endings", "framing/terminated-promptly", "delivery/concurrent-clients",
                "reconnect/last-event-id-accepted",
            ] {
                #expect(run[id]?.status == .pass, "\(app) /\(route): \(id)\n\(run.summary)")
            }
            if route == "countdown" {
                // A finite stream: its end is judged too.
                for id in ["framing/terminated-before-close", "close/server-complete-clean"] {
                    #expect(run[id]?.status == .pass, "\(app) /\(route): \(id)\n\(run.summary)")
                }
            }
            print(
                "third-party \(app) /\(route): \(run.results.filter { $0.status == .pass }.count) passed, \(run.results.filter { $0.status == .skip }.map(\.id)) skipped, \(String(format: "%.1f", run.seconds)) s"
            )
        }
    }
}

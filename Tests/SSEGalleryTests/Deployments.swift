import Foundation
import SSEConformance
import SSETestSupport
import Testing

extension GalleryTests {
    /// Real software nobody here wrote, deployed as people deploy it (scripts/bootstrap installs all of it):
    /// nginx 1.22 with its default buffering, gunicorn's sync worker, Express with and without `compression`. Each
    /// verdict is the one a browser behind it would warrant (DESIGN.md, "Deployments").
    @Suite("Deployments: real proxies, workers and middleware")
    struct Deployments {
        static let directory = RepositoryFiles.url("Tests/SSEGalleryTests/servers/deployments")

        struct Missing: Error, CustomStringConvertible {
            var description: String
        }

        /// The Express app (Debian's node-express and node-compression).
        static func express() async throws -> ServerProcess {
            for module in ["express", "compression"]
            where !FileManager.default.fileExists(atPath: "/usr/share/nodejs/\(module)/package.json") {
                throw Missing(
                    description:
                        "node module \(module) not found: run scripts/bootstrap (Debian package node-\(module))"
                )
            }
            var environment = ProcessInfo.processInfo.environment
            environment["NODE_PATH"] = "/usr/share/nodejs:/usr/lib/nodejs"
            return try await ServerProcess.start(
                name: "express",
                ["node", directory.appendingPathComponent("express_app.js").path],
                directory: directory,
                environment: environment
            )
        }

        /// nginx or gunicorn, started by launch.py (which names what is missing).
        static func launch(_ what: String, _ arguments: [String] = []) async throws -> ServerProcess {
            try await ServerProcess.start(
                name: what,
                ["python3", directory.appendingPathComponent("launch.py").path, what] + arguments,
                directory: directory
            )
        }

        /// A run with the window a buffering proxy needs (it releases a blob every ~3.3 s).
        static func run(_ url: String, events: Int = 5, listen: Double = 8) async -> SuiteRun {
            await SuiteRun.run(target: url, scenarios: nil, profile: .spec) { configuration in
                configuration.events = events
                configuration.listen = listen
            }
        }

        static func expectOnlyFailure(_ id: String, in run: SuiteRun, mentioning texts: [String]) {
            let result = run[id]
            #expect(result?.status == .fail, "\(id)\n\(run.summary)")
            for text in texts {
                #expect(
                    result?.actual.contains(text) == true,
                    "\(id) should say \(text.debugDescription)\n\(run.summary)"
                )
            }
            let others = run.results.filter { $0.id != id && ($0.status == .fail || $0.status == .error) }
            #expect(others.isEmpty, "only \(id) may fail: \(others.map(\.id))\n\(run.summary)")
            print("deployment: \(id) \(result?.status.rawValue ?? "-"): \(result?.actual ?? "")")
        }

        @Test(
            "nginx with proxy_buffering on fails delivery/unbuffered, and nothing about reconnection",
            arguments: [5, 100]
        )
        func nginxBuffered(events: Int) async throws {
            let app = try await Self.express()
            defer { app.stop() }
            let nginx = try await Self.launch("nginx", [String(app.port)])
            defer { nginx.stop() }
            let run = await Self.run(
                nginx.url("/buffered/events"),
                events: events,
                listen: events > 5 ? 12 : 8
            )
            Self.expectOnlyFailure(
                "delivery/unbuffered",
                in: run,
                mentioning: ["something buffers", "X-Accel-Buffering"]
            )
            for id in ["reconnect/served-again", "reconnect/last-event-id-accepted"] {
                #expect(run[id]?.status == .pass, "\(id) behind a slow proxy\n\(run.summary)")
            }
        }

        @Test("nginx with proxy_buffering off is conformant")
        func nginxUnbuffered() async throws {
            let app = try await Self.express()
            defer { app.stop() }
            let nginx = try await Self.launch("nginx", [String(app.port)])
            defer { nginx.stop() }
            let run = await Self.run(nginx.url("/unbuffered/events"))
            run.expectConformant()
            #expect(run["delivery/unbuffered"]?.status == .pass, "\(run.summary)")
        }

        @Test("gunicorn's sync worker serves one stream at a time: delivery/concurrent-clients fails")
        func gunicornSyncWorker() async throws {
            let gunicorn = try await Self.launch("gunicorn")
            defer { gunicorn.stop() }
            let run = await Self.run(gunicorn.url("/events"), listen: 6)
            Self.expectOnlyFailure("delivery/concurrent-clients", in: run, mentioning: ["1 stream(s) at a time"])
        }

        @Test("a quiet stream of comments only is conformant")
        func commentsOnly() async throws {
            let app = try await Self.express()
            defer { app.stop() }
            let run = await Self.run(app.url("/comments"), listen: 4)
            run.expectConformant()
            #expect(run["delivery/concurrent-clients"]?.status == .pass, "judged on bytes\n\(run.summary)")
        }

        @Test("Express compression without a flush fails delivery/unbuffered (the only failure)")
        func compressionWithoutFlush() async throws {
            let app = try await Self.express()
            defer { app.stop() }
            let run = await Self.run(app.url("/compressed"), listen: 4)
            Self.expectOnlyFailure(
                "delivery/unbuffered",
                in: run,
                mentioning: ["Content-Encoding: gzip", "not one event"]
            )
            #expect(run["http/no-compression"]?.status == .warn)
        }

        @Test("Express compression with res.flush() after each event is only a warning")
        func compressionWithFlush() async throws {
            let app = try await Self.express()
            defer { app.stop() }
            let run = await Self.run(app.url("/compressed-flush"), listen: 4)
            run.expectConformant(warnings: ["http/no-compression": "compressed, but flushed per event"])
            #expect(run["http/no-compression"]?.actual.contains("so this compressor is flushed") == true)
            #expect(run["delivery/unbuffered"]?.status == .pass, "\(run.summary)")
        }

        @Test("a stream that opens and never sends a byte cannot be judged: an error (exit 2), no framing pass")
        func silentStream() async throws {
            let app = try await Self.express()
            defer { app.stop() }
            let run = await Self.run(app.url("/silent"), listen: 3)
            #expect(run["delivery/unbuffered"]?.status == .error, "\(run.summary)")
            #expect(run.results.allSatisfy { $0.status != .fail }, "\(run.summary)")
            for result in run.results where result.id.hasPrefix("framing/") {
                #expect(result.status == .skip, "\(result.id) has no bytes to judge\n\(run.summary)")
            }
        }
    }
}

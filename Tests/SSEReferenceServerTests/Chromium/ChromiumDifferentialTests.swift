import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import SSEReferenceServer
import SSETestSupport
import ServerSentEvents
import Testing

/// The manifest's declared dispatches are what a real browser dispatches: headless Chromium (Debian's `chromium`,
/// installed by scripts/bootstrap) opens an `EventSource` on every scenario the reference server serves, and what
/// it dispatched, connection by connection, must equal the declaration. The declarations are what every
/// `dispatch/*` check compares targets with, so this ties the checks' expectations to a browser nobody here wrote.
@Suite struct ChromiumDifferentialTests {
    static let manifest = ScenarioManifest.bundled

    struct ChromiumMissing: Error, CustomStringConvertible {
        var description: String { "chromium not found on PATH: run scripts/bootstrap (Debian package chromium)" }
    }

    /// The first body posted to the result route.
    final class Inbox: Sendable {
        private let body = NIOLockedValueBox<Data?>(nil)
        func put(_ data: Data) { body.withLockedValue { $0 = $0 ?? data } }
        var received: Data? { body.withLockedValue { $0 } }
    }

    @Test("every scenario: Chromium's EventSource dispatches exactly the declared events, connection by connection")
    func chromiumDispatchesWhatTheManifestDeclares() async throws {
        guard let chromium = Self.which("chromium") else { throw ChromiumMissing() }
        let page = try ChromiumEventSourcePage.html(Self.manifest)
        let inbox = Inbox()
        var configuration = ReferenceServer.Configuration()
        configuration.additionalRoutes = { router, _ in
            router.get(RouterPath(ChromiumEventSourcePage.pagePath)) { _, _ -> Response in
                Response(
                    status: .ok,
                    headers: [.contentType: "text/html; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: page))
                )
            }
            router.post(RouterPath(ChromiumEventSourcePage.resultPath)) { request, _ -> Response in
                let buffer = try await request.body.collect(upTo: 4 << 20)
                inbox.put(Data(buffer.readableBytesView))
                return Response(status: .noContent)
            }
        }
        let records = try await withServer(configuration) { server -> [String: ChromiumEventSourcePage.Record] in
            let profile = FileManager.default.temporaryDirectory.appendingPathComponent("sse-chromium-\(UUID())")
            defer { try? FileManager.default.removeItem(at: profile) }
            let browser = try ChildProcess([
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=\(profile.path)", server.baseURL + ChromiumEventSourcePage.pagePath,
            ])
            defer { browser.stop() }
            // The slowest scenario takes about 3 s (three events a second apart, then a reconnection wait); the
            // bound is for a loaded machine and a browser's cold start.
            let deadline = ContinuousClock.now + .seconds(90)
            while inbox.received == nil, browser.isRunning, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            guard let data = inbox.received else {
                Issue.record(
                    "Chromium posted no result (running: \(browser.isRunning)); its stderr:\n\(browser.stderrSoFar.suffix(2000))"
                )
                return [:]
            }
            return try JSONDecoder().decode([String: ChromiumEventSourcePage.Record].self, from: data)
        }
        guard !records.isEmpty else { return }
        for scenario in Self.manifest.scenarios {
            guard let record = records[scenario.name] else {
                Issue.record("\(scenario.name): no record from Chromium")
                continue
            }
            let served = scenario.connections.filter { $0.status == 200 }
            for (index, connection) in scenario.connections.enumerated() where connection.status == 200 {
                var dispatched = record.events(onConnection: index)
                // A never-ending source goes on after the declared events: compare what was declared.
                if connection.end == .never { dispatched = Array(dispatched.prefix(connection.dispatches.count)) }
                #expect(
                    dispatched == connection.dispatches,
                    "\(scenario.name), connection \(index + 1): Chromium dispatched \(dispatched), declared \(connection.dispatches)"
                )
            }
            #expect(record.opens == served.count, "\(scenario.name): Chromium opened \(record.opens) connection(s)")
            if scenario.connections.last?.status == 204 {
                #expect(record.closedForGood, "\(scenario.name): a 204 must stop the EventSource for good")
            }
        }
    }

    /// The path of an executable on PATH.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}

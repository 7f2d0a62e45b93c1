import Foundation
import Testing

/// Issue 16: the concurrent clients start beside the primary (a one-event-a-second stream no longer costs its
/// listening twice), without changing a verdict where a server cannot serve them side by side. Each case runs
/// `sse-conformance --target` against cli_server.py in a process of its own (a full parallel test run starves
/// this process's threads for seconds, which would delay our own hang-ups) and reads its JSON report: the
/// verdicts and the connections, with their times.
@Suite("concurrent clients beside the primary")
struct BesideClientsTests {
    struct Report: Decodable {
        struct Body: Decodable { var results: [Result] }
        struct Result: Decodable {
            var id: String
            var status: String
            var actual: String
            var message: String
        }
        struct Connection: Decodable {
            var probe: String
            var label: String
            var startedAt: Double
            var headTime: Double?
            var endTime: Double
            var status: Int?
            var bodyBytes: Int
            /// When it ended, in seconds from the run's start.
            var end: Double { startedAt + endTime }
        }
        var report: Body
        var connections: [Connection]
    }

    struct Run {
        var results: [Report.Result]
        var primary: Report.Connection
        var reconnection: Report.Connection
        var clients: [Report.Connection]

        subscript(id: String) -> Report.Result? { results.first { $0.id == id } }

        var summary: String {
            results.filter { $0.status != "pass" }.map { "\($0.status) \($0.id): \($0.actual)\($0.message)" }
                .joined(separator: "\n")
        }

        var failedOrErrored: [String] { results.filter { $0.status == "fail" || $0.status == "error" }.map(\.id) }
    }

    static func run(_ path: String, server: PythonServer, events: Int = 5, listen: Double = 6) async throws -> Run {
        let directory = RunProcesses.directory("beside")
        let json = directory.appendingPathComponent("report.json").path
        let result = try await CLI.run([
            "--target", "http://127.0.0.1:\(server.port)\(path)", "--events", String(events), "--listen",
            String(listen), "--json", json, "--junit", directory.appendingPathComponent("junit.xml").path,
        ])
        #expect(result.status != 2, "the run could judge: \(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        let connections = report.connections
        return Run(
            results: report.report.results,
            primary: try #require(connections.first { $0.label == "primary" }),
            reconnection: try #require(connections.first { $0.label == "reconnection" }),
            clients: connections.filter { $0.label.hasPrefix("client ") }
        )
    }

    @Test("a server that serves streams side by side: the clients listen beside the primary")
    func sideBySide() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        // One event a second, as NestJS's sample 28 sends: five events take five seconds per connection.
        let run = try await Self.run("/paced", server: server)
        #expect(run.failedOrErrored.isEmpty, "\(run.summary)")
        #expect(run["delivery/concurrent-clients"]?.status == "pass", "\(run.summary)")
        #expect(run.clients.count == 3)
        for client in run.clients {
            #expect(client.startedAt < run.primary.end, "\(client.label) started beside the primary")
            #expect(client.status == 200 && client.bodyBytes > 0, "\(client.label) was served")
        }
        // The reconnection still waits the reconnection time (1 s, no retry field) after the primary ended.
        #expect(run.reconnection.startedAt >= run.primary.end + 0.9)
        #expect(run.reconnection.status == 200)
        // Sequential, the clients' five seconds came after the primary's and the reconnection's (about 12 s in all).
        let last = ([run.primary, run.reconnection] + run.clients).map(\.end).max() ?? 0
        #expect(last < 10, "the passive probes ended \(last) s after the start")
    }

    @Test("one stream at a time: the queued clients keep their full window and the reconnection goes after them")
    func oneAtATime() async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        let run = try await Self.run("/serial", server: server)
        let clients = run["delivery/concurrent-clients"]
        #expect(clients?.status == "fail", "\(run.summary)")
        #expect(
            clients?.actual.contains("was served: the target serves 1 stream(s) at a time") == true,
            "\(clients?.actual ?? "")"
        )
        // One queued client was let in only after the primary left, and still had --listen to be served in.
        #expect(run.clients.filter { $0.status == 200 }.count == 1)
        for client in run.clients {
            #expect(client.end >= run.primary.end + 5.5, "\(client.label) listened --listen past the primary")
        }
        // The reconnection did not queue behind the clients: it was made after they were gone, and served.
        #expect(run.reconnection.startedAt >= (run.clients.map(\.end).max() ?? 0) - 0.05)
        #expect(run["reconnect/served-again"]?.status == "pass", "\(run.summary)")
        #expect(run.failedOrErrored == ["delivery/concurrent-clients"], "\(run.summary)")
    }

    @Test(
        "a cap of three streams: the clients beside the primary are set aside and made after the reconnection",
        arguments: ["/capped", "/capped?slow-refusal"]
    )
    func cappedStreams(path: String) async throws {
        let server = try await PythonServer.start(script: "cli_server.py")
        defer { server.stop() }
        // Beside the primary (120 events: 6 s) the third client is the fourth stream and is refused (503) after
        // 4 s; three clients alone are served, so the verdict must be the one three clients alone get. With a
        // slow refusal the 503 arrives after the primary ended (8 s), while the client was still queued. (The
        // server waits 4 s for a slot before it refuses, so a slot freed a moment late is not a refusal.)
        let run = try await Self.run(path, server: server, events: 120, listen: 10)
        #expect(run.failedOrErrored.isEmpty, "\(run.summary)")
        #expect(run["delivery/concurrent-clients"]?.status == "pass", "\(run.summary)")
        #expect(run.clients.count == 3)
        for client in run.clients {
            #expect(client.status == 200, "\(client.label): \(client.status.map(String.init) ?? "no answer")")
            #expect(client.startedAt >= run.reconnection.end - 0.05, "\(client.label) made after the reconnection")
        }
    }
}

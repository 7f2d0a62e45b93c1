import Foundation
import SSETestSupport
import Testing

/// Runs every stream vector through node-eventsource 2.0.2 (Debian's `node-eventsource`) over
/// real HTTP and demands it dispatches what the vector says: the spec's `events`, or the
/// recorded `node.events` where that client is known to stray. An independent client agreeing
/// with the vectors is evidence the vectors read the spec right; its recorded deviations stay
/// honest because a deviation that no longer differs fails here too.
@Suite("node-eventsource differential")
struct NodeEventSourceDifferentialTests {
    static let nodeModules = "/usr/share/nodejs"
    static let eventSourcePackage = "/usr/share/nodejs/eventsource/package.json"
    static let overallTimeout: Duration = .seconds(180)
    static let script = RepositoryFiles.url("Tests/ServerSentEventsTests/node/differential.js")
    static let bootstrapHint = "run scripts/bootstrap (apt-get install nodejs node-eventsource)"

    @Test func nodeEventSourceDispatchesWhatTheVectorsRecord() async throws {
        guard let node = Self.findNode() else {
            Issue.record("node is not installed: \(Self.bootstrapHint)")
            return
        }
        guard FileManager.default.fileExists(atPath: Self.eventSourcePackage) else {
            Issue.record("node-eventsource is missing (\(Self.eventSourcePackage)): \(Self.bootstrapHint)")
            return
        }

        let vectors = StreamVector.all
        let results = try await Self.runNode(node, over: vectors)
        for vector in vectors {
            let problems = Self.judge(vector, node: results[vector.id])
            #expect(problems.isEmpty, Comment(rawValue: problems.joined(separator: "\n")))
        }
        let unknown = Set(results.keys).subtracting(vectors.map(\.id))
        #expect(unknown.isEmpty, "node reported ids that are no vector: \(unknown.sorted())")
    }

    /// The judge must flag a recorded deviation that equals the spec's events.
    @Test func staleDeviationIsFlagged() {
        let event = ExpectedEvent(type: "message", data: "a", lastEventId: "")
        var vector = StreamVector(
            id: "synthetic/stale",
            rule: "r",
            wpt: nil,
            bytes: Array("data: a\n\n".utf8),
            events: [event],
            lastEventId: "",
            reconnectionTime: nil,
            maxLineLength: nil,
            limitErrors: nil,
            invalidUTF8: nil,
            nodeEvents: [event],
            nodeNote: "claims node differs"
        )
        let stale = Self.judge(vector, node: NodeResult(events: [event], error: nil))
        #expect(stale.contains { $0.contains("stale deviation") }, "\(stale)")

        vector.nodeEvents = nil
        vector.nodeNote = nil
        #expect(Self.judge(vector, node: NodeResult(events: [event], error: nil)).isEmpty)
        #expect(Self.judge(vector, node: NodeResult(events: [], error: nil)).count == 1)
        #expect(Self.judge(vector, node: NodeResult(events: nil, error: "timeout")).count == 1)
        #expect(Self.judge(vector, node: nil).count == 1)

        vector.nodeEvents = []
        vector.nodeNote = "node drops it"
        #expect(Self.judge(vector, node: NodeResult(events: [], error: nil)).isEmpty)
        let fixed = Self.judge(vector, node: NodeResult(events: [event], error: nil))
        #expect(fixed.count == 1 && fixed[0].contains("now matches the spec"), "\(fixed)")
    }

    // MARK: - Judging

    struct NodeResult: Decodable, Sendable {
        var events: [ExpectedEvent]?
        var error: String?
    }

    /// Problems with node's result for one vector; empty when it is as recorded.
    static func judge(_ vector: StreamVector, node: NodeResult?) -> [String] {
        var problems: [String] = []
        if let recorded = vector.nodeEvents, recorded == vector.events {
            problems.append(
                "\(vector.id): stale deviation: node.events equals the spec's events; remove the \"node\" entry"
            )
        }
        guard let node else {
            return problems + ["\(vector.id): node-eventsource reported nothing for this vector"]
        }
        guard let actual = node.events else {
            return problems + ["\(vector.id): node-eventsource run failed: \(node.error ?? "no events and no error")"]
        }
        let expected = vector.nodeEvents ?? vector.events
        if actual != expected {
            if vector.nodeEvents != nil, actual == vector.events {
                problems.append(
                    "\(vector.id): node-eventsource now matches the spec: remove the recorded deviation "
                        + "(\(vector.nodeNote ?? ""))"
                )
            } else {
                let which = vector.nodeEvents != nil ? "its recorded deviation" : "the spec's events"
                problems.append(
                    "\(vector.id): node-eventsource dispatched \(actual), expected \(which) \(expected) "
                        + "[rule: \(vector.rule)]"
                )
            }
        }
        return problems
    }

    // MARK: - Running node

    static func findNode() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for directory in directories {
            for name in ["node", "nodejs"] {
                let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    /// Runs `differential.js` once over all vectors; bounded by `overallTimeout`.
    static func runNode(_ node: URL, over vectors: [StreamVector]) async throws -> [String: NodeResult] {
        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("sse-node-differential-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        struct Input: Encodable {
            var id: String
            var hex: String
        }
        let input = work.appendingPathComponent("vectors.json")
        try JSONEncoder().encode(vectors.map { Input(id: $0.id, hex: $0.hex) }).write(to: input)
        var environment = ProcessInfo.processInfo.environment
        environment["NODE_PATH"] = [nodeModules, environment["NODE_PATH"]].compactMap { $0 }
            .filter { !$0.isEmpty }.joined(separator: ":")
        let process = try ChildProcess([node.path, script.path, input.path], environment: environment)

        let deadline = ContinuousClock.now + overallTimeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.kill()
                throw DifferentialError("node did not finish within \(overallTimeout); killed it")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let status = process.exitStatus ?? -1

        let errorText = process.stderr
        guard status == 0 else {
            throw DifferentialError(
                "node exited with status \(status): \(errorText.prefix(2000)) "
                    + "(if eventsource cannot be loaded: \(bootstrapHint))"
            )
        }
        let output = Data(process.stdout.utf8)
        do {
            return try JSONDecoder().decode([String: NodeResult].self, from: output)
        } catch {
            throw DifferentialError(
                "cannot decode node's output (\(output.count) bytes): \(error); stderr: \(errorText.prefix(2000))"
            )
        }
    }

    struct DifferentialError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

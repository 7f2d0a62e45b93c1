import ServerSentEvents

/// The conformance scenarios, as read from `fixtures/scenarios/manifest.json` (format in the README beside it).
public struct ScenarioManifest: Sendable, Hashable {
    /// The format's version.
    public var version: Int
    /// The query parameter that overrides a scenario's interval (milliseconds).
    public var intervalParameter: String
    /// The query parameter carrying a checker's run token.
    public var tokenParameter: String
    /// The stats endpoint's path relative to the base URL.
    public var statsPath: String
    /// The scenarios.
    public var scenarios: [Scenario]

    /// The scenario named `name`.
    public func scenario(named name: String) -> Scenario? {
        scenarios.first { $0.name == name }
    }

    /// The manifest this build carries (a copy of `fixtures/scenarios/manifest.json`).
    public static let bundled: ScenarioManifest = {
        do {
            return try ScenarioManifest(parsing: bundledJSON)
        } catch {
            fatalError("The bundled scenario manifest is invalid: \(error)")
        }
    }()

    /// Reads a manifest from its JSON text.
    public init(parsing text: String) throws(ScenarioManifestError) {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: text)
        } catch {
            throw ScenarioManifestError("manifest: \(error)")
        }
        var reader = ManifestReader(path: "manifest")
        let format = try reader.string(root["format"], "format")
        guard format == "sse-conformance/scenarios" else { throw ScenarioManifestError("manifest: unknown format") }
        version = try reader.integer(root["version"], "version")
        guard version == 1 else { throw ScenarioManifestError("manifest: unsupported version \(version)") }
        intervalParameter = try reader.string(root["parameters"]?["interval"], "parameters.interval")
        tokenParameter = try reader.string(root["parameters"]?["token"], "parameters.token")
        statsPath = try reader.string(root["stats"]?["path"], "stats.path")
        guard case .array(let list)? = root["scenarios"] else { throw reader.error("scenarios", "an array") }
        scenarios = try list.enumerated().map { (index, value) throws(ScenarioManifestError) in
            try ManifestReader(path: "scenarios[\(index)]").scenario(value)
        }
        var names = Set<String>()
        var paths = Set<String>([statsPath])
        for scenario in scenarios {
            guard names.insert(scenario.name).inserted, paths.insert(scenario.path).inserted else {
                throw ScenarioManifestError("manifest: scenario \(scenario.name) repeats a name or a path")
            }
        }
    }
}

/// A manifest that could not be read; the message says where.
public struct ScenarioManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, and where.
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

private struct ManifestReader {
    var path: String

    func error(_ field: String, _ expected: String) -> ScenarioManifestError {
        ScenarioManifestError("\(path).\(field): expected \(expected)")
    }

    func string(_ value: JSONValue?, _ field: String) throws(ScenarioManifestError) -> String {
        guard case .string(let s)? = value else { throw error(field, "a string") }
        return s
    }

    func integer(_ value: JSONValue?, _ field: String) throws(ScenarioManifestError) -> Int {
        guard case .number(let n)? = value, n.rounded() == n, abs(n) < 1e15 else { throw error(field, "an integer") }
        return Int(n)
    }

    func fieldValue(_ value: JSONValue?, _ field: String) throws(ScenarioManifestError) -> FieldValue? {
        switch value {
        case nil: return nil
        case .string(let s)?: return .text(s)
        case .number?: return .number(try integer(value, field))
        default: throw error(field, "a string or an integer")
        }
    }

    func event(_ value: JSONValue, _ field: String) throws(ScenarioManifestError) -> MessageEvent {
        guard case .object(let members) = value else { throw error(field, "an object") }
        for member in members where !["data", "id", "type", "retry"].contains(member.key) {
            throw error("\(field).\(member.key)", "one of data, id, type, retry")
        }
        let data: MessageData?
        switch value["data"] {
        case nil: data = nil
        case .string(let s)?: data = .string(s)
        case let json?: data = .json(json)
        }
        let type: String? = try value["type"].map { v throws(ScenarioManifestError) in
            try string(v, "\(field).type")
        }
        return MessageEvent(
            data: data,
            id: try fieldValue(value["id"], "\(field).id"),
            type: type,
            retry: try fieldValue(value["retry"], "\(field).retry")
        )
    }

    func dispatch(_ value: JSONValue, _ field: String) throws(ScenarioManifestError) -> ServerSentEvent {
        ServerSentEvent(
            type: try string(value["type"], "\(field).type"),
            data: try string(value["data"], "\(field).data"),
            lastEventId: try string(value["lastEventId"], "\(field).lastEventId")
        )
    }

    func connection(_ value: JSONValue, _ field: String) throws(ScenarioManifestError) -> ExpectedConnection {
        let lastEventId: String?
        switch value["lastEventId"] {
        case nil, .null?: lastEventId = nil
        case let other: lastEventId = try string(other, "\(field).lastEventId")
        }
        guard let end = ExpectedConnection.End(rawValue: try string(value["end"], "\(field).end")) else {
            throw error("\(field).end", "complete, error, never or none")
        }
        guard case .array(let list)? = value["dispatches"] else { throw error("\(field).dispatches", "an array") }
        var dispatches: [ServerSentEvent] = []
        for (index, item) in list.enumerated() {
            dispatches.append(try dispatch(item, "\(field).dispatches[\(index)]"))
        }
        return ExpectedConnection(
            lastEventId: lastEventId,
            status: try integer(value["status"], "\(field).status"),
            end: end,
            reconnectionTime: try value["reconnectionTime"].map { v throws(ScenarioManifestError) in
                try integer(v, "\(field).reconnectionTime")
            },
            dispatches: dispatches
        )
    }

    func scenario(_ value: JSONValue) throws(ScenarioManifestError) -> Scenario {
        let path = try string(value["path"], "path")
        guard !path.isEmpty, !path.hasPrefix("/") else { throw error("path", "a relative path") }
        guard case .array(let eventList)? = value["events"] else { throw error("events", "an array") }
        var events: [MessageEvent] = []
        for (index, item) in eventList.enumerated() { events.append(try event(item, "events[\(index)]")) }
        let ending: Scenario.Ending
        switch try string(value["end"]?["kind"], "end.kind") {
        case "complete": ending = .complete
        case "never": ending = .never
        case "error": ending = .error(message: try string(value["end"]?["message"], "end.message"))
        default: throw error("end.kind", "complete, error or never")
        }
        guard let onReconnect = Scenario.ReconnectPolicy(rawValue: try string(value["onReconnect"], "onReconnect"))
        else { throw error("onReconnect", "restart, resume or noContent") }
        guard case .array(let connectionList)? = value["connections"] else { throw error("connections", "an array") }
        var connections: [ExpectedConnection] = []
        for (index, item) in connectionList.enumerated() {
            connections.append(try connection(item, "connections[\(index)]"))
        }
        let interval = try integer(value["intervalMs"], "intervalMs")
        guard interval >= 0 else { throw error("intervalMs", "a number of milliseconds") }
        if ending == .never, events.isEmpty { throw error("events", "at least one event for a source that never ends") }
        return Scenario(
            name: try string(value["name"], "name"),
            path: path,
            summary: try string(value["summary"], "summary"),
            intervalMs: interval,
            events: events,
            perConnection: try value["perConnection"].map { v throws(ScenarioManifestError) in
                try integer(v, "perConnection")
            },
            end: ending,
            onReconnect: onReconnect,
            connections: connections
        )
    }
}

extension MessageEvent {
    /// An event in the manifest's shape (`data`, `id`, `type`, `retry`, as a Nest handler emits it).
    public init(manifestEvent value: JSONValue, field: String = "event") throws(ScenarioManifestError) {
        self = try ManifestReader(path: field).event(value, field)
    }
}

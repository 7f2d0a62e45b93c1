import SSEScenarios
import ServerSentEvents

/// What each NestJS capture's handler emitted (`fixtures/nest/handlers.json`): the input that reproduces the
/// capture's bytes, shared by every parity test.
public struct NestCaptureHandler: Sendable, Hashable, CustomStringConvertible {
    /// The capture's file name without `.raw`.
    public var capture: String
    /// The events, in order, exactly as the handler emitted them (what the NestJS model is given).
    public var events: [MessageEvent]
    /// The message the source failed with after the events, if it failed.
    public var error: String?
    /// The handler's status (`@HttpCode`).
    public var status: Int
    /// The handler's own headers (`@Header`), in order.
    public var headers: [(name: String, value: String)]

    public var description: String { capture }

    /// The events that make the reference server write the capture's bytes: ``events`` with a numeric id 0 left out.
    /// Nest gives `id: 0` the counter; the reference server deliberately writes `id: 0` (DESIGN.md, divergences),
    /// so without the id it writes what Nest wrote. No other capture input is one the reference diverges on.
    public var referenceEvents: [MessageEvent] {
        events.map { event in
            guard event.id == .number(0) else { return event }
            var event = event
            event.id = nil
            return event
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.capture == rhs.capture && lhs.events == rhs.events && lhs.error == rhs.error && lhs.status == rhs.status
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(capture) }

    /// What is wrong in the handlers file, and where.
    public struct FormatError: Error, CustomStringConvertible {
        public var message: String
        init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Every capture's handler, from `fixtures/nest/handlers.json`.
    public static func loadAll() throws -> [NestCaptureHandler] {
        try parse(RepositoryFiles.fixtureText("nest/handlers.json"))
    }

    /// Reads the handlers file's text.
    public static func parse(_ text: String) throws(FormatError) -> [NestCaptureHandler] {
        let root: JSONValue
        do {
            root = try JSONValue(parsing: text)
        } catch {
            throw FormatError("handlers: \(error)")
        }
        guard case .array(let entries)? = root["captures"] else {
            throw FormatError("handlers.captures: expected an array")
        }
        var handlers: [NestCaptureHandler] = []
        for (index, entry) in entries.enumerated() {
            let field = "handlers.captures[\(index)]"
            guard let capture = entry["capture"]?.stringValue else {
                throw FormatError("\(field).capture: expected a string")
            }
            guard case .array(let events)? = entry["events"] else {
                throw FormatError("\(field).events: expected an array")
            }
            var parsed: [MessageEvent] = []
            for (position, event) in events.enumerated() {
                do {
                    parsed.append(try MessageEvent(manifestEvent: event, field: "\(field).events[\(position)]"))
                } catch {
                    throw FormatError(error.message)
                }
            }
            var headers: [(name: String, value: String)] = []
            if case .object(let members)? = entry["headers"] {
                for member in members {
                    guard let value = member.value.stringValue else {
                        throw FormatError("\(field).headers.\(member.key): expected a string")
                    }
                    headers.append((member.key, value))
                }
            }
            handlers.append(
                NestCaptureHandler(
                    capture: capture,
                    events: parsed,
                    error: entry["error"]?.stringValue,
                    status: entry["status"]?.numberValue.map { Int($0) } ?? 200,
                    headers: headers
                )
            )
        }
        return handlers
    }
}

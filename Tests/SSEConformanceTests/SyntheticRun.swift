import SSEClient
import SSEScenarios
import ServerSentEvents

@testable import SSEConformance

/// Synthetic scenario runs built from the bundled manifest (fixtures/scenarios/manifest.json): what a conformant
/// server writes on each declared connection, and what an EventSource dispatches from those bytes.
///
/// The body of a connection is the preamble then one chunk per event, as `NestEventEncoder` (the reference server)
/// writes the events the manifest declares for that connection (the error event last for a failing source), or,
/// given other `divergences`, as NestModel writes them (`[]`: NestJS 11.1 itself, which may end the stream early);
/// event k arrives k intervals after the response head. The dispatches are not copied from the manifest: they are what the spec parser
/// dispatches from the body, so a test that breaks the bytes breaks the dispatches with them.
enum SyntheticRun {
    /// One body chunk: its arrival time (seconds since the request) and its bytes.
    typealias Chunk = (time: Double, bytes: [UInt8])

    static let manifest = ScenarioManifest.bundled

    static func scenario(_ name: String) -> Scenario {
        guard let scenario = manifest.scenario(named: name) else { fatalError("no scenario \(name)") }
        return scenario
    }

    /// Every scenario of the manifest, each served conformantly.
    static var allGood: [ScenarioRun] { manifest.scenarios.map { make($0.name) } }

    /// Every scenario of the manifest as NestJS 11.1 serves it (NestModel, no divergence): its losses included.
    static var allAsNestWritesThem: [ScenarioRun] { manifest.scenarios.map { make($0.name, divergences: []) } }

    /// Every scenario served conformantly, except `name`, given by `run`.
    static func all(replacing name: String, with run: ScenarioRun) -> [ScenarioRun] {
        manifest.scenarios.map { $0.name == name ? run : make($0.name) }
    }

    /// The events a conformant server writes on a scenario's connection `index`.
    static func events(_ scenario: Scenario, connection index: Int) -> [MessageEvent] {
        let expected = scenario.connections[index]
        guard expected.status == 200 else { return [] }
        let limit = scenario.perConnection ?? scenario.events.count
        switch scenario.end {
        case .never:
            return (0..<expected.dispatches.count).map { scenario.events[$0 % scenario.events.count] }
        case .complete, .error:
            var events = scenario.events[...]
            if scenario.onReconnect == .resume, let sent = expected.lastEventId,
                let at = events.firstIndex(where: { $0.id == .text(sent) })
            {
                events = events[(at + 1)...]
            }
            return Array(events.prefix(limit))
        }
    }

    /// A scenario's run. `rewrite` may change a connection's chunks (index 0 is the preamble, index k event k);
    /// `adjust` may change its exchange (status, end, start time) before the dispatches are computed.
    static func make(
        _ name: String,
        divergences: NestDivergences = .reference,
        rewrite: (_ connection: Int, _ chunks: inout [Chunk]) -> Void = { _, _ in },
        adjust: (_ connection: Int, _ exchange: inout Exchange) -> Void = { _, _ in }
    ) -> ScenarioRun {
        let scenario = scenario(name)
        let interval = Double(scenario.intervalMs) / 1000
        var exchanges: [Exchange] = []
        var dispatched: [[ServerSentEvent]] = []
        var nextStart = 0.0
        for (index, expected) in scenario.connections.enumerated() {
            var chunks: [Chunk] = []
            if expected.status == 200 {
                var model = NestModel(divergences: divergences)
                chunks.append((0, NestModel.preamble))
                for event in events(scenario, connection: index) {
                    guard let bytes = model.write(event) else { break }
                    chunks.append((Double(chunks.count) * interval, bytes))
                }
                if case .error(let message) = scenario.end, let bytes = model.writeError(message: message) {
                    chunks.append((Double(chunks.count) * interval, bytes))
                }
            }
            rewrite(index, &chunks)
            let endless = expected.end == .never
            let lastTime = chunks.last?.time ?? 0
            var requestHeaders = [HTTPHeaderField(name: "Accept", value: "text/event-stream")]
            if let sent = expected.lastEventId {
                requestHeaders.append(HTTPHeaderField(name: "Last-Event-ID", value: sent))
            }
            var exchange = Wire.bytes(
                chunks.map { ($0.time, $0.bytes) },
                label: "scenario \(name) connection \(index + 1)",
                status: expected.status,
                headers: expected.status == 200 ? nestHeaders : [],
                end: endless ? .stoppedListening : .completed,
                endTime: endless ? lastTime + interval / 2 : lastTime,
                requestHeaders: requestHeaders
            )
            exchange.startedAt = nextStart
            adjust(index, &exchange)
            exchanges.append(exchange)
            dispatched.append(exchange.opensEventSource ? dispatches(exchange, lastEventId: expected.lastEventId) : [])
            // The next connection waits the reconnection time this stream set, as the live probes do.
            nextStart = exchange.startedAt + exchange.endTime + Double(expected.reconnectionTime ?? 0) / 1000
        }
        return ScenarioRun(scenario: scenario, exchanges: exchanges, dispatchedPerConnection: dispatched)
    }

    /// Nest 11's response headers, as the reference server sends them.
    static let nestHeaders = Catalogue.nestHeaders.map { HTTPHeaderField(name: $0.name, value: $0.value) }

    /// What an EventSource dispatches from `exchange`'s body, starting from the Last-Event-ID it sent.
    static func dispatches(_ exchange: Exchange, lastEventId: String?) -> [ServerSentEvent] {
        var parser = EventStreamParser(lastEventId: lastEventId ?? "")
        var events: [ServerSentEvent] = []
        for chunk in exchange.chunks {
            chunk.bytes.withUnsafeBytes { buffer in
                parser.parse(buffer) { output in
                    if case .event(let event) = output { events.append(event) }
                }
            }
        }
        return events
    }

    /// Bytes of text.
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}

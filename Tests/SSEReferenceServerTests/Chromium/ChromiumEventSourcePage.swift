import Foundation
import SSEReferenceServer
import ServerSentEvents

/// A page that opens one real `EventSource` per scenario of a manifest, records what the browser dispatches (type,
/// data, lastEventId and which connection it came on), the connections it opened and whether it gave up for good,
/// then posts the record as JSON to `resultPath`. Served by the reference server itself, so it is same-origin: no
/// CORS, no browser flag that would change what an EventSource does.
enum ChromiumEventSourcePage {
    static let pagePath = "chromium/eventsource.html"
    static let resultPath = "chromium/result"

    /// One scenario as the page drives it.
    struct Plan: Codable {
        var name: String
        var url: String
        /// Every type a declared event has, plus `message` and `error` (Nest's error event).
        var types: [String]
        /// Declared dispatches over all connections: the page stops counting once it has them.
        var want: Int
        /// The last declared connection is answered 204: wait for the browser to give up instead of counting.
        var waitsForClose: Bool
    }

    static func plans(_ manifest: ScenarioManifest) -> [Plan] {
        manifest.scenarios.map { scenario in
            let dispatches = scenario.connections.flatMap(\.dispatches)
            // Fast pacing (the never-ending ones at 100 ms so a few events suffice), as the suite's own runs use.
            let interval = scenario.intervalMs >= 100 ? 100 : 20
            return Plan(
                name: scenario.name,
                url: "/\(scenario.path)?\(manifest.intervalParameter)=\(interval)",
                types: Array(Set(dispatches.map(\.type) + ["message", "error"])).sorted(),
                want: dispatches.count,
                waitsForClose: scenario.connections.last?.status == 204
            )
        }
    }

    /// The page's HTML. The plans are JSON inside a `<script type="application/json">`, with `<` escaped so no
    /// scenario text can end the element.
    static func html(_ manifest: ScenarioManifest) throws -> String {
        let encoded = try JSONEncoder().encode(plans(manifest))
        let json = String(decoding: encoded, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        return """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>EventSource differential</title></head><body>
            <script type="application/json" id="plans">\(json)</script>
            <script>
            const plans = JSON.parse(document.getElementById("plans").textContent);
            const results = {};
            let pending = plans.length;
            for (const plan of plans) {
              const record = results[plan.name] = { opens: 0, dispatches: [], closedForGood: false, ended: "" };
              const source = new EventSource(plan.url);
              let done = false;
              const end = (why) => {
                if (done) return;
                done = true;
                record.ended = why;
                source.close();
                if (--pending === 0) {
                  fetch("/\(resultPath)", { method: "POST", body: JSON.stringify(results) });
                }
              };
              source.onopen = () => { record.opens += 1; };
              const listener = (event) => {
                if (!(event instanceof MessageEvent)) {
                  // The EventSource's own error event: a connection ended or failed.
                  if (source.readyState === EventSource.CLOSED) {
                    record.closedForGood = true;
                    end("closed");
                  }
                  return;
                }
                record.dispatches.push([record.opens, event.type, event.data, event.lastEventId]);
                if (!plan.waitsForClose && record.dispatches.length >= plan.want) {
                  // A little longer, so an extra event would be seen too.
                  setTimeout(() => end("count"), 300);
                }
              };
              for (const type of plan.types) source.addEventListener(type, listener);
            }
            </script></body></html>
            """
    }

    /// What the browser recorded for one scenario.
    struct Record: Decodable {
        var opens: Int
        /// [connection (1-based), type, data, lastEventId] per dispatched event.
        var dispatches: [[DispatchField]]
        var closedForGood: Bool
        var ended: String

        enum DispatchField: Decodable, Equatable {
            case number(Int)
            case text(String)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Int.self) {
                    self = .number(number)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }

        /// The dispatches of connection `index` (0-based) as events.
        func events(onConnection index: Int) -> [ServerSentEvent] {
            dispatches.compactMap { fields in
                guard fields.count == 4, case .number(let connection) = fields[0], connection == index + 1,
                    case .text(let type) = fields[1], case .text(let data) = fields[2],
                    case .text(let id) = fields[3]
                else { return nil }
                return ServerSentEvent(type: type, data: data, lastEventId: id)
            }
        }
    }
}

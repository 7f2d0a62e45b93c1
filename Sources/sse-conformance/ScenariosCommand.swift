import ArgumentParser
import SSEReferenceServer

/// `sse-conformance scenarios`: the scenario manifest this binary carries, as a summary or as its exact JSON.
struct ScenariosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenarios",
        abstract: "Print the conformance scenarios this binary checks (--json: the exact manifest).",
        discussion: """
            A server in scenario mode (--scenarios BASEURL) mounts every scenario at BASEURL/<path>, plus the stats \
            endpoint. The adapters for NestJS, Express, FastAPI/Starlette and aiohttp read this manifest; save it \
            with: sse-conformance scenarios --json > manifest.json
            """
    )

    @Flag(name: .long, help: "Print the manifest's exact JSON (the file the adapters read).")
    var json = false

    func run() {
        Console.out(json ? Self.json() : Self.summary(ScenarioManifest.bundled))
    }

    /// The manifest's JSON text, byte for byte, with a final newline.
    static func json() -> String { ScenarioManifest.bundledJSON + "\n" }

    /// One block per scenario: its route, its events, pacing, ending and reconnection rule, its summary.
    static func summary(_ manifest: ScenarioManifest) -> String {
        var out = "sse-conformance/scenarios version \(manifest.version): \(manifest.scenarios.count) scenarios\n"
        out += "Mounted under a base URL (--scenarios BASE/), each answers GET and HEAD at BASE/<path>.\n"
        out += "Query parameters: \(manifest.intervalParameter)=MS (overrides the pacing), "
        out += "\(manifest.tokenParameter)=T (counts the stream under T in the stats).\n"
        out += "Stats: BASE/\(manifest.statsPath)?\(manifest.tokenParameter)=T answers JSON "
        out += "{token, openStreams, producersStarted, producersStopped, producersRunning}.\n\n"
        for scenario in manifest.scenarios {
            out += "\(scenario.name)  BASE/\(scenario.path)\n"
            out += "    \(scenario.summary)\n"
            out += "    \(shape(scenario))\n"
            out += "    reconnection: \(reconnection(scenario)); checked with \(connections(scenario))\n"
        }
        out += "\nThe exact JSON: sse-conformance scenarios --json > manifest.json\n"
        return out
    }

    static func shape(_ scenario: Scenario) -> String {
        let count = scenario.events.count
        var text = "\(count) event\(count == 1 ? "" : "s") \(scenario.intervalMs) ms apart"
        if let per = scenario.perConnection { text += ", at most \(per) per response" }
        switch scenario.end {
        case .complete: text += ", then the response ends"
        case .error(let message): text += ", then the source fails: an error event with data \"\(message)\""
        case .never: text += ", repeated until the client goes away"
        }
        return text
    }

    static func reconnection(_ scenario: Scenario) -> String {
        switch scenario.onReconnect {
        case .restart: "served again from the start"
        case .resume: "continues after its Last-Event-ID (204 No Content when nothing is left)"
        case .noContent: "204 No Content"
        }
    }

    static func connections(_ scenario: Scenario) -> String {
        let list = scenario.connections.map { connection in
            connection.lastEventId.map { "Last-Event-ID \($0) -> \(connection.status)" } ?? "\(connection.status)"
        }
        return "\(list.count) connection\(list.count == 1 ? "" : "s") (\(list.joined(separator: ", ")))"
    }
}

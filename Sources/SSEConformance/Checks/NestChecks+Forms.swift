import SSEScenarios
import ServerSentEvents

/// The bytes the `nestjs` checks expect of a scenario's first connection: what NestJS 11.1 writes for its declared
/// events (NestModel), and what it writes with any of the reference server's deliberate divergences
/// (NestDivergences): either form passes, and the evidence says which one the target wrote.
extension Catalogue {
    /// One way of writing a scenario's first connection.
    struct NestForm {
        /// The divergences from NestJS 11.1 it takes (the fewest that give these bytes; none: NestJS itself).
        var divergences: NestDivergences
        var bytes: [UInt8]

        /// How the verdicts name it: empty for NestJS 11.1's own bytes.
        var name: String {
            divergences.isEmpty ? "" : " (with the reference server's deliberate divergences: \(divergences))"
        }
    }

    /// The distinct forms of a scenario's first connection, NestJS 11.1's own first, at least `count` bytes long
    /// for a source that never ends.
    static func nestForms(_ scenario: Scenario, atLeast count: Int) -> [NestForm] {
        var forms: [NestForm] = []
        for divergences in NestDivergences.combinations {
            let bytes = nestBytes(scenario, divergences, atLeast: count)
            if !forms.contains(where: { $0.bytes == bytes }) {
                forms.append(NestForm(divergences: divergences, bytes: bytes))
            }
        }
        return forms
    }

    /// The model's bytes for a scenario's first connection: preamble, events (cycled for endless sources, up to
    /// perConnection), and the error event; the stream stops where the model ends it.
    static func nestBytes(_ scenario: Scenario, _ divergences: NestDivergences, atLeast count: Int) -> [UInt8] {
        var model = NestModel(divergences: divergences)
        var bytes = NestModel.preamble
        let limit = scenario.perConnection ?? scenario.events.count
        switch scenario.end {
        case .never:
            var index = 0
            while bytes.count < count && !scenario.events.isEmpty {
                guard let event = model.write(scenario.events[index % scenario.events.count]) else { break }
                bytes += event
                index += 1
            }
        case .complete, .error:
            for event in scenario.events.prefix(limit) {
                guard let written = model.write(event) else { break }
                bytes += written
            }
            if case .error(let message) = scenario.end, let written = model.writeError(message: message) {
                bytes += written
            }
        }
        return bytes
    }

    /// The number of leading bytes two byte strings share.
    static func commonPrefix(_ a: [UInt8], _ b: [UInt8]) -> Int {
        zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
    }
}

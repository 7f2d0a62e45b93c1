import Foundation
import SSETestSupport

/// One event an EventSource dispatches: its type, its data and the source's last event ID at dispatch.
struct ExpectedEvent: Codable, Equatable, Sendable, CustomStringConvertible {
    var type: String
    var data: String
    var lastEventId: String

    /// Compares scalar by scalar: `String ==` treats canonically equivalent text as equal,
    /// a stream vector must not.
    static func == (lhs: ExpectedEvent, rhs: ExpectedEvent) -> Bool {
        lhs.type.unicodeScalars.elementsEqual(rhs.type.unicodeScalars)
            && lhs.data.unicodeScalars.elementsEqual(rhs.data.unicodeScalars)
            && lhs.lastEventId.unicodeScalars.elementsEqual(rhs.lastEventId.unicodeScalars)
    }

    var description: String {
        "{type: \(Self.quoted(type)), data: \(Self.quoted(data)), lastEventId: \(Self.quoted(lastEventId))}"
    }

    /// A JSON-style quoted string with control characters visible.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _
            where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FEFF}"
                || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{85}":
                out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A stream test vector from `fixtures/streams/<group>.json`: exact bytes and what the spec
/// (WHATWG HTML 9.2.5 "Parsing an event stream", 9.2.6 "Interpreting an event stream") says
/// an EventSource dispatches for them.
struct StreamVector: Sendable, CustomStringConvertible {
    /// `<group>/<name>`, stable and readable.
    var id: String
    /// The spec sentence the vector enforces.
    var rule: String
    /// The web-platform-tests `eventsource/` file whose case the vector covers, if any.
    var wpt: String?
    /// The stream's bytes. The JSON's segment boundaries carry no meaning and are not kept.
    var bytes: [UInt8]
    /// Dispatched events, in order, per the spec.
    var events: [ExpectedEvent]
    /// The source's last event ID after the end of the stream.
    var lastEventId: String
    /// Milliseconds set by a valid `retry` field, or nil when none was.
    var reconnectionTime: Int?
    /// The parser's line/event size limit for this vector (over-limit cases only).
    var maxLineLength: Int?
    /// How many over-limit errors the parser must report.
    var limitErrors: Int?
    /// How many maximal invalid UTF-8 sequences the bytes hold (one U+FFFD each).
    var invalidUTF8: Int?
    /// What node-eventsource 2.0.2 dispatches where it strays from `events`.
    var nodeEvents: [ExpectedEvent]?
    /// How node-eventsource strays, with the spec sentence it breaks.
    var nodeNote: String?

    var description: String { id }

    /// `fixtures/streams`.
    static var streamsDirectory: URL { RepositoryFiles.fixture("streams") }

    /// Every vector of every `fixtures/streams/*.json`, sorted by id.
    static func loadAll() throws -> [StreamVector] {
        let directory = streamsDirectory
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".json") }
                .sorted()
        } catch {
            throw StreamVectorError("cannot list \(directory.path): \(error)")
        }
        if names.isEmpty { throw StreamVectorError("no *.json vector files in \(directory.path)") }

        var vectors: [StreamVector] = []
        var seen: [String: String] = [:]  // id -> file
        for name in names {
            let group = String(name.dropLast(".json".count))
            let url = directory.appendingPathComponent(name)
            for vector in try load(group: group, from: url) {
                if let other = seen[vector.id] {
                    throw StreamVectorError("\(name): duplicate vector id \(vector.id) (also in \(other))")
                }
                seen[vector.id] = name
                vectors.append(vector)
            }
        }
        return vectors.sorted { $0.id < $1.id }
    }

    /// Every vector, loaded once; a malformed fixture stops the test run with the loader's message.
    static let all: [StreamVector] = {
        do {
            return try loadAll()
        } catch {
            fatalError("stream vectors: \(error)")
        }
    }()

    /// The vectors of one group file.
    static func load(group: String, from url: URL) throws -> [StreamVector] {
        let file = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw StreamVectorError("\(file): cannot read: \(error)")
        }
        let raw: [RawVector]
        do {
            raw = try JSONDecoder().decode([RawVector].self, from: data)
        } catch {
            throw StreamVectorError("\(file): malformed vector JSON: \(error)")
        }
        var result: [StreamVector] = []
        for (index, item) in raw.enumerated() {
            let label = "\(file) vector #\(index) (\(item.name.isEmpty ? "unnamed" : item.name))"
            guard !item.name.isEmpty, !item.name.contains("/") else {
                throw StreamVectorError("\(label): name must be non-empty and hold no '/'")
            }
            var bytes: [UInt8] = []
            for (segmentIndex, segment) in item.wire.enumerated() {
                switch segment {
                case .text(let text):
                    bytes.append(contentsOf: Array(text.utf8))
                case .hex(let hex):
                    guard let decoded = Self.bytes(fromHex: hex) else {
                        throw StreamVectorError("\(label): wire segment \(segmentIndex) has bad hex \"\(hex)\"")
                    }
                    bytes.append(contentsOf: decoded)
                }
            }
            result.append(
                StreamVector(
                    id: "\(group)/\(item.name)",
                    rule: item.rule,
                    wpt: item.wpt,
                    bytes: bytes,
                    events: item.events,
                    lastEventId: item.lastEventId,
                    reconnectionTime: item.reconnectionTime,
                    maxLineLength: item.maxLineLength,
                    limitErrors: item.limitErrors,
                    invalidUTF8: item.invalidUTF8,
                    nodeEvents: item.node?.events,
                    nodeNote: item.node?.note
                )
            )
        }
        return result
    }

    /// Hex pairs, whitespace between them allowed; nil on anything else.
    static func bytes(fromHex hex: String) -> [UInt8]? {
        let digits = hex.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var high: UInt8?
        for scalar in digits {
            guard scalar.isASCII, let nibble = UInt8(String(scalar), radix: 16) else { return nil }
            if let h = high {
                out.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return out
    }

    /// The bytes as lowercase hex, no separators.
    var hex: String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// A fixture problem, with the file it is in.
struct StreamVectorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The JSON shape of one vector.
private struct RawVector: Decodable {
    var name: String
    var rule: String
    var wpt: String?
    var wire: [WireSegment]
    var events: [ExpectedEvent]
    var lastEventId: String
    var reconnectionTime: Int?
    var maxLineLength: Int?
    var limitErrors: Int?
    var invalidUTF8: Int?
    var node: NodeDeviation?

    struct NodeDeviation: Decodable {
        var events: [ExpectedEvent]
        var note: String
    }

    /// A string segment (UTF-8 encoded) or `{"hex": "..."}` for raw bytes.
    enum WireSegment: Decodable {
        case text(String)
        case hex(String)

        private enum Keys: String, CodingKey { case hex }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self = .text(text)
                return
            }
            let object = try decoder.container(keyedBy: Keys.self)
            self = .hex(try object.decode(String.self, forKey: .hex))
        }
    }
}

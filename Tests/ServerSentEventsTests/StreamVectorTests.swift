import Foundation
import Testing

/// Checks the stream vectors themselves, not any parser.
@Suite("Stream vector fixtures")
struct StreamVectorTests {
    static let groups = [
        "line-endings", "leading-space", "field-names", "data", "event", "id", "retry",
        "bom", "utf8", "comments", "eof", "dispatch", "limits",
    ]

    /// The web-platform-tests `eventsource/format-*` files that test the stream format
    /// (the `format-mime-*` ones test the response's media type, not the stream).
    static let wptStreamFiles = [
        "format-bom.any.js", "format-bom-2.any.js", "format-bom-split.any.js", "format-bom-utf-16.any.js",
        "format-comments.any.js", "format-data-before-final-empty-line.any.js", "format-field-data.any.js",
        "format-field-event.any.js", "format-field-event-empty.any.js", "format-field-id.any.js",
        "format-field-id-2.any.js", "format-field-id-3.window.js", "format-field-id-null.window.js",
        "format-field-parsing.any.js", "format-field-retry.any.js", "format-field-retry-bogus.any.js",
        "format-field-retry-empty.any.js", "format-field-unknown.any.js", "format-leading-space.any.js",
        "format-newlines.any.js", "format-null-character.any.js", "format-utf-8.any.js",
    ].map { "eventsource/" + $0 }

    /// Every vector of fixtures/streams/*.json, counted exactly: one that goes missing (a file not read, a vector
    /// dropped) fails here. Adding vectors means updating the count.
    @Test func loadsAll155Vectors() throws {
        let vectors = try StreamVector.loadAll()
        #expect(vectors.count == 155, "\(vectors.count) stream vectors, expected 155")
    }

    @Test func everyGroupFileIsPresent() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: StreamVector.streamsDirectory.path)
        for group in Self.groups {
            #expect(files.contains("\(group).json"), "fixtures/streams/\(group).json is missing")
        }
        let vectors = try StreamVector.loadAll()
        for group in Self.groups {
            #expect(vectors.contains { $0.id.hasPrefix("\(group)/") }, "group \(group) has no vectors")
        }
    }

    @Test func idsAreUniqueAndSorted() throws {
        let ids = try StreamVector.loadAll().map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate ids")
        #expect(ids == ids.sorted(), "loadAll() must sort by id")
    }

    @Test func everyVectorHasARule() throws {
        for vector in try StreamVector.loadAll() {
            #expect(!vector.rule.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(vector.id) has no rule")
        }
    }

    @Test func everyWptStreamFileIsCovered() throws {
        let covered = Set(try StreamVector.loadAll().compactMap(\.wpt))
        for file in Self.wptStreamFiles {
            #expect(covered.contains(file), "no vector covers \(file)")
        }
        for file in covered {
            #expect(Self.wptStreamFiles.contains(file), "unknown wpt file \(file)")
        }
    }

    @Test func limitVectorsDeclareTheirLimit() throws {
        for vector in try StreamVector.loadAll() {
            if vector.id.hasPrefix("limits/") {
                #expect(vector.maxLineLength != nil, "\(vector.id) needs maxLineLength")
                #expect(vector.limitErrors != nil, "\(vector.id) needs limitErrors")
            }
            if vector.limitErrors != nil {
                #expect(vector.maxLineLength != nil, "\(vector.id): limitErrors without maxLineLength")
            }
        }
    }

    /// Where a vector pins `invalidUTF8`, the expected events must not hold more U+FFFD than that,
    /// and a vector whose bytes are valid UTF-8 must not pin a count.
    @Test func invalidUTF8CountsAreConsistent() throws {
        for vector in try StreamVector.loadAll() {
            let valid = Array(String(decoding: vector.bytes, as: UTF8.self).utf8) == vector.bytes
            if let count = vector.invalidUTF8 {
                #expect(count > 0, "\(vector.id): invalidUTF8 must be positive")
                #expect(!valid, "\(vector.id): bytes are valid UTF-8 but invalidUTF8 is \(count)")
                let inEvents = vector.events.reduce(0) {
                    $0 + ($1.type + $1.data + $1.lastEventId).unicodeScalars.filter { $0 == "\u{FFFD}" }.count
                }
                #expect(inEvents <= count, "\(vector.id): \(inEvents) U+FFFD in events, invalidUTF8 \(count)")
            } else {
                #expect(valid, "\(vector.id): bytes hold invalid UTF-8 but no invalidUTF8 count")
            }
        }
    }

    /// A recorded node deviation must differ from the spec expectation and say how.
    @Test func nodeDeviationsAreNotStale() throws {
        for vector in try StreamVector.loadAll() {
            guard let nodeEvents = vector.nodeEvents else {
                #expect(vector.nodeNote == nil, "\(vector.id): node note without node events")
                continue
            }
            #expect(nodeEvents != vector.events, "\(vector.id): stale deviation, node.events equals events")
            #expect(!(vector.nodeNote ?? "").isEmpty, "\(vector.id): node deviation without a note")
        }
    }

    @Test func hexDecoding() {
        #expect(StreamVector.bytes(fromHex: "ef bb bf") == [0xEF, 0xBB, 0xBF])
        #expect(StreamVector.bytes(fromHex: "00FF") == [0x00, 0xFF])
        #expect(StreamVector.bytes(fromHex: "") == [])
        #expect(StreamVector.bytes(fromHex: "abc") == nil)
        #expect(StreamVector.bytes(fromHex: "zz") == nil)
        #expect(StreamVector.bytes(fromHex: "+1") == nil)
    }

    @Test func malformedFixturesAreNamed() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("streamvector-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let badJSON = directory.appendingPathComponent("broken.json")
        try Data("[{\"name\": ".utf8).write(to: badJSON)
        #expect {
            _ = try StreamVector.load(group: "broken", from: badJSON)
        } throws: { error in
            "\(error)".contains("broken.json")
        }

        let badHex = directory.appendingPathComponent("hexes.json")
        let vector = """
            [{"name": "x", "rule": "r", "wire": [{"hex": "0g"}], "events": [], "lastEventId": "", \
            "reconnectionTime": null}]
            """
        try Data(vector.utf8).write(to: badHex)
        #expect {
            _ = try StreamVector.load(group: "hexes", from: badHex)
        } throws: { error in
            "\(error)".contains("hexes.json") && "\(error)".contains("bad hex")
        }
    }

    @Test func jsonEscapesDecodeToExactBytes() throws {
        let nul = try #require(StreamVector.all.first { $0.id == "data/nul-allowed" })
        #expect(nul.bytes == Array("data: ".utf8) + [0x00, 0x0A, 0x0A])
        #expect(nul.events == [ExpectedEvent(type: "message", data: "\u{0}", lastEventId: "")])
        let split = try #require(StreamVector.all.first { $0.id == "bom/bom-split-over-segments" })
        #expect(Array(split.bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }
}

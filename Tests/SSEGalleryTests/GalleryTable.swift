import Foundation
import SSEConformance
import SSETestSupport
import Testing

/// GALLERY.md's "what breaks each check" table, generated from `GalleryEntry.all` so the document cannot drift
/// from the servers the tests really run.
enum GalleryTable {
    static let begin =
        "<!-- table: generated from GalleryEntries.swift; SSE_WRITE_GALLERY=1 swift test --filter GalleryTable -->"
    static let end = "<!-- end of table -->"

    static var document: URL {
        RepositoryFiles.url("Tests/SSEGalleryTests/GALLERY.md")
    }

    /// One row per check, in catalogue order; a check broken by several entries lists them all.
    static func markdown(_ entries: [GalleryEntry] = GalleryEntry.all) -> String {
        var lines = [
            "| check | level | gallery entry (what breaks it) | real-world example of the defect |",
            "|---|---|---|---|",
        ]
        for check in Catalogue.all {
            let breaking = entries.filter { $0.check == check.id }
            guard !breaking.isEmpty else { continue }
            let defects = breaking.map { entry in
                "\(entry.mode == .passive ? "P" : "S") `\(entry.name)`: \(entry.defect)"
            }
            let examples = breaking.compactMap(\.example)
            lines.append(
                "| `\(check.id)` | \(check.level.rawValue) | \(defects.joined(separator: "; ")) | \(examples.joined(separator: " ")) |"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// The document with its table section replaced by `table`.
    static func replacingTable(in document: String, with table: String) -> String? {
        guard let start = document.range(of: begin), let stop = document.range(of: end),
            start.upperBound <= stop.lowerBound
        else { return nil }
        return document.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: "\n" + table + "\n")
    }
}

@Suite("GalleryTable")
struct GalleryTableTests {
    @Test("GALLERY.md's table is the one generated from the entries")
    func checkedInTableIsCurrent() throws {
        let text = try String(contentsOf: GalleryTable.document, encoding: .utf8)
        let current = try #require(
            GalleryTable.replacingTable(in: text, with: GalleryTable.markdown()),
            "GALLERY.md has no generated table section (\(GalleryTable.begin) ... \(GalleryTable.end))"
        )
        if ProcessInfo.processInfo.environment["SSE_WRITE_GALLERY"] == "1" {
            try current.write(to: GalleryTable.document, atomically: true, encoding: .utf8)
        }
        #expect(
            text == current,
            "GALLERY.md's table is stale: run `SSE_WRITE_GALLERY=1 swift test --filter GalleryTable` and commit it"
        )
    }

    @Test("every check with an entry has exactly one real-world example")
    func oneExamplePerCheck() {
        for id in Set(GalleryEntry.all.map(\.check)) {
            let examples = GalleryEntry.all.filter { $0.check == id }.compactMap(\.example)
            #expect(
                examples.count == 1,
                "\(id): \(examples.count) examples; give exactly one of its entries `example:`"
            )
        }
    }
}

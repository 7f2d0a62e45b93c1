import ArgumentParser
import Foundation
import SSEConformance

/// `sse-conformance list`: the check catalogue.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the checks: id, level, modes, profile, summary and spec reference."
    )

    @Flag(name: .long, help: "Print a Markdown table (the README's check list is generated with it).")
    var markdown = false

    func run() {
        Console.out(markdown ? Self.markdownTable() : Self.plain())
    }

    static func modes(_ check: Check) -> String {
        var parts: [String] = []
        if check.modes.contains(.passive) { parts.append(check.passiveLevel.map { "P(\($0.rawValue))" } ?? "P") }
        if check.modes.contains(.scenarios) { parts.append("S") }
        return parts.joined(separator: " ")
    }

    static func plain() -> String {
        var out = ""
        for check in Catalogue.all {
            out += "\(check.id)\n"
            out += "    \(check.level.rawValue), modes \(modes(check)), profile \(check.profile.rawValue)\n"
            out += "    \(check.summary)\n"
            out += "    \(check.reference.section): \(check.reference.url)\n"
        }
        out +=
            "\(Catalogue.all.count) checks. Modes: P passive (--target), S scenarios (--scenarios; always for the built-in server).\n"
        out += "The scenarios a server mounts for S: sse-conformance scenarios (--json: the manifest adapters read).\n"
        return out
    }

    static func markdownTable() -> String {
        var out = "| id | level | modes | profile | asserts | reference |\n|---|---|---|---|---|---|\n"
        for check in Catalogue.all {
            let summary = check.summary.replacingOccurrences(of: "|", with: "\\|")
            out +=
                "| `\(check.id)` | \(check.level.rawValue) | \(modes(check)) | \(check.profile.rawValue) | \(summary) | [\(check.reference.section)](\(check.reference.url)) |\n"
        }
        return out
    }
}

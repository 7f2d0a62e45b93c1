import ArgumentParser
import Foundation
import SSEConformance

/// `sse-conformance list`: the check catalogue, as text, a Markdown table or JSON, filtered like a run.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the checks: id, level, modes, profile, summary and spec reference.",
        discussion: """
            Writes to standard output (redirect it to save the catalogue: sse-conformance list --json > checks.json). \
            Modes: P passive (--target), S scenarios (--scenarios; always for the built-in server).
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only checks whose id matches (glob, or a group name like framing), as in a run. Repeatable.",
            valueName: "glob"
        )
    )
    var only: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("Leave out checks whose id matches (glob or group). Repeatable.", valueName: "glob")
    )
    var skip: [String] = []

    @Flag(name: .long, help: "Print a Markdown table (the README's check list is generated with it).")
    var markdown = false

    @Flag(
        name: .long,
        help: "Print JSON: per check its id, level, modes, profile, summary and rule (section, link, quoted sentence)."
    )
    var json = false

    /// Anything else on the line: `list` takes no path or other argument, and says so instead of ignoring it.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unexpected: [String] = []

    func validate() throws {
        if let option = unexpected.first(where: { $0.hasPrefix("-") }) {
            throw ValidationError(
                "list does not take \(option) (a run's option, or none at all; see 'sse-conformance list --help')"
            )
        }
        if let first = unexpected.first {
            throw ValidationError(
                "list takes no argument, got \(first.debugDescription): it writes to standard output (save the catalogue with: sse-conformance list --json > checks.json)"
            )
        }
        if markdown && json { throw ValidationError("--markdown and --json cannot be combined: choose one") }
        let unmatched = Catalogue.unmatchedGlobs(only + skip)
        if !unmatched.isEmpty {
            throw ValidationError(
                "no check id matches \(unmatched.map { $0.debugDescription }.joined(separator: ", "))"
            )
        }
    }

    func run() throws {
        let checks = Self.selected(only: only, skip: skip)
        if json {
            Console.out(try Self.json(checks))
        } else {
            Console.out(markdown ? Self.markdownTable(checks) : Self.plain(checks))
        }
    }

    /// The catalogue filtered by `--only` / `--skip` globs, as a run would (profile and mode aside).
    static func selected(only: [String], skip: [String]) -> [Check] {
        Catalogue.select(profile: .nestjs, modes: Set(Mode.allCases), only: only, skip: skip)
    }

    static func modes(_ check: Check) -> String {
        var parts: [String] = []
        if check.modes.contains(.passive) { parts.append(check.passiveLevel.map { "P(\($0.rawValue))" } ?? "P") }
        if check.modes.contains(.scenarios) { parts.append("S") }
        return parts.joined(separator: " ")
    }

    static func plain(_ checks: [Check] = Catalogue.all) -> String {
        var out = ""
        for check in checks {
            out += "\(check.id)\n"
            out += "    \(check.level.rawValue), modes \(modes(check)), profile \(check.profile.rawValue)\n"
            out += "    \(check.summary)\n"
            out += "    \(check.reference.section): \(check.reference.url)\n"
        }
        let of = checks.count == Catalogue.all.count ? "" : " of \(Catalogue.all.count)"
        out +=
            "\(checks.count)\(of) checks. Modes: P passive (--target), S scenarios (--scenarios; always for the built-in server).\n"
        out += "The scenarios a server mounts for S: sse-conformance scenarios (--json: the manifest adapters read).\n"
        return out
    }

    static func markdownTable(_ checks: [Check] = Catalogue.all) -> String {
        var out = "| id | level | modes | profile | asserts | reference |\n|---|---|---|---|---|---|\n"
        for check in checks {
            let summary = check.summary.replacingOccurrences(of: "|", with: "\\|")
            out +=
                "| `\(check.id)` | \(check.level.rawValue) | \(modes(check)) | \(check.profile.rawValue) | \(summary) | [\(check.reference.section)](\(check.reference.url)) |\n"
        }
        return out
    }

    /// One catalogue entry in `list --json`.
    struct Entry: Codable, Equatable {
        var id: String
        var level: String
        /// `passive`, `scenarios`.
        var modes: [String]
        /// The level in a passive-only run, when it differs (`INFO`).
        var passiveLevel: String?
        var profile: String
        var summary: String
        var rule: Rule

        struct Rule: Codable, Equatable {
            var section: String
            var url: String
            /// The sentence the check enforces, quoted from the standard (or the measured NestJS format).
            var sentence: String
        }

        init(_ check: Check) {
            id = check.id
            level = check.level.rawValue
            modes = Mode.allCases.filter { check.modes.contains($0) }.map(\.rawValue)
            passiveLevel = check.passiveLevel?.rawValue
            profile = check.profile.rawValue
            summary = check.summary
            rule = Rule(section: check.reference.section, url: check.reference.url, sentence: check.reference.sentence)
        }
    }

    static func json(_ checks: [Check]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(checks.map(Entry.init)), as: UTF8.self) + "\n"
    }
}

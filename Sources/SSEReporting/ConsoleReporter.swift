import SSEConformance

/// The console report: a header, a tree with a line per check, expected/actual under each failure and warning,
/// and a final line of counts. Colour only when asked (the caller decides: `--color`, `NO_COLOR`, `FORCE_COLOR`,
/// a TTY); lines wrapped to `width` when one is given (a terminal's), never otherwise.
public struct ConsoleReporter: Sendable {
    /// Whether to emit ANSI colour.
    public var color: Bool
    /// Whether to print evidence for passing checks too (`-v`).
    public var verbose: Bool
    /// The terminal's width in columns: long lines are wrapped under their own indentation; nil: no wrapping.
    public var width: Int?

    /// Creates a reporter.
    public init(color: Bool, verbose: Bool = false, width: Int? = nil) {
        self.color = color
        self.verbose = verbose
        self.width = width
    }

    /// The first line of a run: what is tested, how. Printed before any probe connects.
    /// `request` describes a fetch-style request (method and body), shown on a line of its own.
    public func header(
        target: String,
        profile: Profile,
        modes: [Mode],
        toolVersion: String,
        request: String? = nil
    ) -> String {
        let modes =
            modes.isEmpty
            ? ""
            : ", \(modes.count == 1 ? "mode" : "modes") "
                + modes.map(\.rawValue).joined(separator: " + ")
        return wrapped(
            "sse-conformance \(toolVersion): \(Self.clean(target)) (profile \(profile.rawValue)\(modes))",
            indent: "  "
        )
            + "\n" + (request.map { wrapped("request: \(Self.clean($0))", indent: "  ") + "\n" } ?? "")
    }

    /// The whole report: the header (unless the caller printed it at the start), the tree and the summary line.
    public func render(_ report: RunReport, header: Bool = true) -> String {
        var out =
            header
            ? self.header(
                target: report.target,
                profile: report.profile,
                modes: report.modes,
                toolVersion: report.toolVersion,
                request: report.request
            ) : ""
        // A reason that skips many checks at once (the stream never opened) is written out once; the checks after
        // the first name it. The JUnit and JSON reports keep every reason whole.
        var firstSkippedFor: [String: String] = [:]
        for group in report.groups {
            out += paint(group.name, .bold) + "\n"
            for (index, result) in group.results.enumerated() {
                let last = index == group.results.count - 1
                var sameAs: String?
                if result.status == .skip, !result.message.isEmpty {
                    sameAs = firstSkippedFor[result.message]
                    if sameAs == nil { firstSkippedFor[result.message] = result.id }
                }
                out += line(
                    for: result,
                    branch: last ? "└─ " : "├─ ",
                    indent: last ? "   " : "│  ",
                    skippedAs: sameAs
                )
            }
        }
        out += summaryLine(report) + "\n"
        return out
    }

    /// One check's line (and its details), for the tree. `skippedAs`: the check already shown with the same skip
    /// reason, named instead of repeating it.
    public func line(
        for result: CheckResult,
        branch: String = "",
        indent: String = "",
        skippedAs: String? = nil
    ) -> String {
        let (label, style): (String, Style) =
            switch result.status {
            case .pass: ("PASS", .green)
            case .info: ("INFO", .cyan)
            case .fail: ("FAIL", .red)
            case .warn: ("WARN", .yellow)
            case .skip: ("SKIP", .dim)
            case .error: ("ERROR", .magenta)
            }
        let pad = indent + "      "
        let lead = "\(branch)\(label.padding(5)) \(result.id)  "
        let summary = wrappedTail(result.summary, after: lead.count, indent: pad)
        var out = "\(branch)\(paint(label.padding(5), style)) \(result.id)  "
        out +=
            summary.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix(pad) && line.count > pad.count
                    ? pad + paint(String(line.dropFirst(pad.count)), .dim) : paint(String(line), .dim)
            }.joined(separator: "\n") + "\n"
        func detail(_ name: String, _ text: String) {
            let head = name.isEmpty ? pad : "\(pad)\(name.padding(9)) "
            out += wrapped(head + Self.clean(text), indent: name.isEmpty ? pad : pad + "          ") + "\n"
        }
        switch result.status {
        case .fail, .warn:
            detail("expected:", result.expected)
            detail("actual:", result.actual)
            if !result.evidence.summary.isEmpty { detail("evidence:", result.evidence.summary) }
            detail("rule:", "\(result.level.rawValue) \(result.reference.section) \(result.reference.url)")
            if !result.message.isEmpty { detail("note:", result.message) }
        case .skip where skippedAs != nil:
            detail("", "skipped for the same reason as \(skippedAs!)")
        case .skip, .error:
            if !result.message.isEmpty { detail("", result.message) }
        case .info:
            if !result.message.isEmpty { detail("", result.message) }
            if verbose && !result.evidence.summary.isEmpty { detail("evidence:", result.evidence.summary) }
        case .pass:
            if !result.message.isEmpty && verbose { detail("", result.message) }
            if verbose && !result.evidence.summary.isEmpty { detail("evidence:", result.evidence.summary) }
        }
        return out
    }

    /// `12 passed, 1 failed, 2 warned, 1 info, 3 skipped, 0 errored (4.2 s)`.
    public func summaryLine(_ report: RunReport) -> String {
        let parts = [
            paint("\(report.count(.pass)) passed", .green),
            paint("\(report.count(.fail)) failed", report.count(.fail) > 0 ? .red : .plain),
            paint("\(report.count(.warn)) warned", report.count(.warn) > 0 ? .yellow : .plain),
            "\(report.count(.info)) info",
            "\(report.count(.skip)) skipped",
            paint("\(report.count(.error)) errored", report.count(.error) > 0 ? .magenta : .plain),
        ]
        let tenths = (report.duration * 10).rounded() / 10
        return parts.joined(separator: ", ") + " (\(tenths) s)"
    }

    /// Text from the target made safe for a terminal: control characters (ESC above all: a target must not be
    /// able to drive the user's terminal) are shown as `\u{..}`, line breaks as `\n` and `\r`.
    public static func clean(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                    || scalar.properties.generalCategory == .format && scalar.value != 0xFEFF
                    || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    enum Style: String {
        case plain = ""
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case magenta = "35"
        case cyan = "36"
    }

    func paint(_ text: String, _ style: Style) -> String {
        guard color, style != .plain else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

import SSEConformance

/// The console report: a tree with a line per check, expected/actual under each failure and warning, and a
/// final line of counts. Colour only when asked (the caller decides: a TTY, and never with `NO_COLOR`).
public struct ConsoleReporter: Sendable {
    /// Whether to emit ANSI colour.
    public var color: Bool
    /// Whether to print evidence for passing checks too (`-v`).
    public var verbose: Bool

    /// Creates a reporter.
    public init(color: Bool, verbose: Bool = false) {
        self.color = color
        self.verbose = verbose
    }

    /// The whole tree and the summary line.
    public func render(_ report: RunReport) -> String {
        var out = "sse-conformance \(report.toolVersion): \(report.target) (profile \(report.profile.rawValue))\n"
        if let request = report.request { out += "request: \(request)\n" }
        for group in report.groups {
            out += paint(group.name, .bold) + "\n"
            for (index, result) in group.results.enumerated() {
                let last = index == group.results.count - 1
                out += line(for: result, branch: last ? "└─ " : "├─ ", indent: last ? "   " : "│  ")
            }
        }
        out += summaryLine(report) + "\n"
        return out
    }

    /// One check's line (and its details), for the tree or for live progress.
    public func line(for result: CheckResult, branch: String = "", indent: String = "") -> String {
        let (label, style): (String, Style) =
            switch result.status {
            case .pass: ("PASS", .green)
            case .info: ("INFO", .cyan)
            case .fail: ("FAIL", .red)
            case .warn: ("WARN", .yellow)
            case .skip: ("SKIP", .dim)
            case .error: ("ERROR", .magenta)
            }
        var out = "\(branch)\(paint(label.padding(5), style)) \(result.id)  \(paint(result.summary, .dim))\n"
        let pad = indent + "      "
        switch result.status {
        case .fail, .warn:
            out += "\(pad)expected: \(Self.clean(result.expected))\n\(pad)actual:   \(Self.clean(result.actual))\n"
            if !result.evidence.summary.isEmpty { out += "\(pad)evidence: \(Self.clean(result.evidence.summary))\n" }
            out += "\(pad)rule:     \(result.level.rawValue) \(result.reference.section) \(result.reference.url)\n"
            if !result.message.isEmpty { out += "\(pad)note:     \(Self.clean(result.message))\n" }
        case .skip, .error:
            if !result.message.isEmpty { out += "\(pad)\(Self.clean(result.message))\n" }
        case .info:
            if !result.message.isEmpty { out += "\(pad)\(Self.clean(result.message))\n" }
            if verbose && !result.evidence.summary.isEmpty {
                out += "\(pad)evidence: \(Self.clean(result.evidence.summary))\n"
            }
        case .pass:
            if !result.message.isEmpty && verbose {
                out += "\(pad)\(Self.clean(result.message))\n"
            }
            if verbose && !result.evidence.summary.isEmpty {
                out += "\(pad)evidence: \(Self.clean(result.evidence.summary))\n"
            }
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
    static func clean(_ text: String) -> String {
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

/// A file a run wrote, for the list the console prints at the end. Any report writer adds its own (JUnit,
/// JSON, transcripts, the server log, an HTML report...).
public struct WrittenReport: Sendable, Hashable, Codable {
    /// What it is, e.g. `JUnit`, `JSON`, `transcripts`.
    public var kind: String
    /// Where it went (`-`: standard output).
    public var path: String
    /// A short note, e.g. `3 files`.
    public var detail: String

    /// Creates an entry.
    public init(kind: String, path: String, detail: String = "") {
        self.kind = kind
        self.path = path
        self.detail = detail
    }
}

extension ConsoleReporter {
    /// The closing list of every report the run wrote, one per line, aligned.
    public func writtenReports(_ reports: [WrittenReport]) -> String {
        guard !reports.isEmpty else { return "" }
        let column = reports.map(\.kind.count).max() ?? 0
        var out = paint("reports", .bold) + "\n"
        for report in reports {
            let path = report.path == "-" ? "standard output" : Self.clean(report.path)
            let detail = report.detail.isEmpty ? "" : " (\(report.detail))"
            out +=
                wrapped(
                    "  " + report.kind + String(repeating: " ", count: column - report.kind.count + 2) + path + detail,
                    indent: String(repeating: " ", count: column + 4)
                ) + "\n"
        }
        return out
    }
}

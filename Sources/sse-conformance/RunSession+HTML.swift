import Foundation
import SSEConformance
import SSEReporting

/// The HTML report: `--html PATH`, by default `report.html` beside the JUnit file.
extension RunSession {
    /// Where the HTML report goes: `--html`, else `report.html` in the JUnit file's directory (the JSON file's
    /// when JUnit goes to standard output, else `reports/`).
    var htmlPath: String {
        if let html = options.html { return html }
        let anchor =
            options.junit != "-" ? options.junit : (options.json.flatMap { $0 == "-" ? nil : $0 } ?? "reports/x")
        let directory = (anchor as NSString).deletingLastPathComponent
        return (directory.isEmpty ? "" : directory + "/") + "report.html"
    }

    /// Writes the HTML report with the connections the probes made; returns what could not be written.
    func writeHTML(_ report: RunReport, _ setup: Setup, records: [ProbeRecord]) -> [ReportFile.Failure] {
        let html = HTMLReporter.render(
            report,
            probes: records,
            transcripts: transcriptLinks(report),
            redactor: setup.redactor
        )
        do {
            try ReportFile.write(html, to: htmlPath, option: "--html")
            written.add(WrittenReport(kind: "HTML", path: htmlPath))
            return []
        } catch {
            return [error]
        }
    }

    /// The transcripts written for checks, as links from the HTML file: relative when they sit beside it.
    func transcriptLinks(_ report: RunReport) -> [String: String] {
        let directory = URL(fileURLWithPath: htmlPath == "-" ? "." : htmlPath).deletingLastPathComponent().path
        return transcriptPaths(report).mapValues { path in
            let absolute = URL(fileURLWithPath: path).path
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            return absolute.hasPrefix(prefix) && htmlPath != "-" ? String(absolute.dropFirst(prefix.count)) : absolute
        }
    }
}
